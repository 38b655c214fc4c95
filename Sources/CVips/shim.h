#include <vips/vips.h>

// libvips's API is variadic (optional arguments as name/value pairs ending in NULL), which
// Swift cannot call: these fixed-argument wrappers are the only calls MonarchImages makes.

static inline int monarch_vips_start(void) {
    if (VIPS_INIT("monarch")) return -1;
    // Loaders libvips marks untrusted (JPEG 2000, JPEG XL, FITS, Matlab...) are never reached
    // by a content file; MonarchImages also checks the loader by name.
    vips_block_untrusted_set(TRUE);
    // Each image is processed by one thread; Monarch runs one image per core itself.
    vips_concurrency_set(1);
    // Nothing is processed twice in one build: libvips's operation cache would only hold memory.
    vips_cache_set_max(0);
    return 0;
}

static inline void monarch_vips_unref(VipsImage *image) { g_object_unref(image); }
static inline void monarch_vips_free(void *p) { g_free(p); }

/// The header of the first frame (pixels are decoded later, only if asked).
static inline VipsImage *monarch_vips_header(const void *data, size_t length) {
    return vips_image_new_from_buffer(data, length, "", NULL);
}

static inline const char *monarch_vips_loader(VipsImage *image) {
    const char *loader = NULL;
    if (vips_image_get_typeof(image, "vips-loader") && !vips_image_get_string(image, "vips-loader", &loader)) return loader;
    return NULL;
}

static inline int monarch_vips_has_field(VipsImage *image, const char *name) {
    return vips_image_get_typeof(image, name) != 0;
}

/// The field's bytes (EXIF, XMP, IPTC, ICC blobs), or NULL.
static inline const void *monarch_vips_blob(VipsImage *image, const char *name, size_t *length) {
    const void *data = NULL;
    if (!vips_image_get_typeof(image, name) || vips_image_get_blob(image, name, &data, length)) return NULL;
    return data;
}

/// Decoded, turned upright (EXIF orientation), converted to sRGB from its colour profile, and
/// shrunk to `width` pixels wide (never enlarged), as 8-bit sRGB or grey with or without alpha.
static inline VipsImage *monarch_vips_thumbnail(const void *data, size_t length, int width) {
    VipsImage *thumb = NULL;
    if (vips_thumbnail_buffer((void *)data, length, &thumb, width, "height", VIPS_MAX_COORD,
                              "size", VIPS_SIZE_DOWN, "export_profile", "srgb", NULL)) return NULL;
    VipsInterpretation kind = vips_image_get_interpretation(thumb);
    int grey = kind == VIPS_INTERPRETATION_B_W || kind == VIPS_INTERPRETATION_GREY16;
    if (thumb->BandFmt == VIPS_FORMAT_UCHAR && (kind == VIPS_INTERPRETATION_sRGB || kind == VIPS_INTERPRETATION_B_W)) return thumb;
    VipsImage *converted = NULL;
    int failed = vips_colourspace(thumb, &converted, grey ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB, NULL);
    g_object_unref(thumb);
    if (failed) return NULL;
    if (converted->BandFmt != VIPS_FORMAT_UCHAR) {
        VipsImage *cast = NULL;
        failed = vips_cast_uchar(converted, &cast, NULL);
        g_object_unref(converted);
        return failed ? NULL : cast;
    }
    return converted;
}

/// The image over white, without its alpha channel (for JPEG, which has none).
static inline VipsImage *monarch_vips_flatten(VipsImage *image) {
    VipsImage *out = NULL;
    VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
    int failed = vips_flatten(image, &out, "background", white, NULL);
    vips_area_unref(VIPS_AREA(white));
    return failed ? NULL : out;
}

/// A copy of the image's header with every metadata field removed (EXIF, XMP, IPTC, ICC,
/// comments, orientation): the savers' own "strip" is not enough, libvips 8.14's WebP saver
/// writes EXIF, XMP and ICC whatever it is told. Only the pixels and their layout remain.
static inline VipsImage *monarch_vips_without_metadata(VipsImage *image) {
    VipsImage *out = NULL;
    if (vips_copy(image, &out, NULL)) return NULL;
    gchar **fields = vips_image_get_fields(out);
    for (int i = 0; fields[i]; i++) {
        // The fixed header (width, height, bands...) cannot be removed, and is not asked to be.
        const char *name = fields[i];
        if (!strcmp(name, "width") || !strcmp(name, "height") || !strcmp(name, "bands") || !strcmp(name, "format")
            || !strcmp(name, "coding") || !strcmp(name, "interpretation") || !strcmp(name, "xoffset")
            || !strcmp(name, "yoffset") || !strcmp(name, "xres") || !strcmp(name, "yres") || !strcmp(name, "filename")
            || !strcmp(name, "mode") || !strcmp(name, "scale") || !strcmp(name, "offset")) continue;
        vips_image_remove(out, name);
    }
    g_strfreev(fields);
    return out;
}

// Savers: "strip" leaves out every metadata block (EXIF, XMP, IPTC, ICC, comments).
static inline int monarch_vips_save_jpeg(VipsImage *image, int quality, void **out, size_t *length) {
    return vips_jpegsave_buffer(image, out, length, "Q", quality, "strip", TRUE, "optimize_coding", TRUE,
                                "interlace", TRUE, NULL);
}
static inline int monarch_vips_save_webp(VipsImage *image, int quality, int lossless, void **out, size_t *length) {
    return vips_webpsave_buffer(image, out, length, "Q", quality, "lossless", lossless, "strip", TRUE,
                                "effort", 4, NULL);
}
static inline int monarch_vips_save_png(VipsImage *image, int palette, void **out, size_t *length) {
    return vips_pngsave_buffer(image, out, length, "strip", TRUE, "compression", 9, "palette", palette, NULL);
}
static inline int monarch_vips_save_heif(VipsImage *image, int quality, int av1, void **out, size_t *length) {
    return vips_heifsave_buffer(image, out, length, "Q", quality, "strip", TRUE, "compression",
                                av1 ? VIPS_FOREIGN_HEIF_COMPRESSION_AV1 : VIPS_FOREIGN_HEIF_COMPRESSION_HEVC, NULL);
}
static inline int monarch_vips_save_gif(VipsImage *image, void **out, size_t *length) {
    return vips_gifsave_buffer(image, out, length, "strip", TRUE, NULL);
}
