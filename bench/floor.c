// The file system floor under any generator (issue #7): creates the folders and files of an
// output folder SRC (a monarch or Hugo build) in DST, two threads, folders level by level, then
// the files, their bytes read beforehand; prints the time of the creating alone.
//   cc -O2 -pthread -o /tmp/floor bench/floor.c && /tmp/floor OUTPUT /tmp/floor-out
// DST must not exist; move it aside afterwards rather than deleting it (see docs/performance.md).
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <fcntl.h>
#include <unistd.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
typedef struct { char *path; char *data; size_t size; int dir; int depth; } Entry;
static Entry *entries; static int n, cap; static size_t srclen; static const char *dst;
static int visit(const char *p, const struct stat *st, int flag, struct FTW *f) {
  if (f->level == 0) return 0;
  if (n == cap) { cap = cap ? cap * 2 : 1024; entries = realloc(entries, cap * sizeof(Entry)); }
  Entry *e = &entries[n++]; e->path = strdup(p + srclen); e->dir = flag == FTW_D; e->depth = f->level; e->data = 0; e->size = 0;
  if (!e->dir) { int fd = open(p, O_RDONLY); e->size = st->st_size; e->data = malloc(e->size + 1); read(fd, e->data, e->size); close(fd); }
  return 0;
}
static int maxdepth; static int phase_depth; static int phase_files;
typedef struct { int id; } Arg;
static void *work(void *a) {
  int id = ((Arg *)a)->id; char buf[4096];
  for (int i = id; i < n; i += 2) {
    Entry *e = &entries[i];
    if (phase_files ? e->dir : (!e->dir || e->depth != phase_depth)) continue;
    snprintf(buf, sizeof buf, "%s%s", dst, e->path);
    if (e->dir) mkdir(buf, 0755);
    else { int fd = open(buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644); write(fd, e->data, e->size); close(fd); }
  }
  return 0;
}
static void run(void) { pthread_t t[2]; Arg a[2] = {{0}, {1}}; for (int i = 0; i < 2; i++) pthread_create(&t[i], 0, work, &a[i]); for (int i = 0; i < 2; i++) pthread_join(t[i], 0); }
int main(int argc, char **argv) {
  srclen = strlen(argv[1]); dst = argv[2];
  nftw(argv[1], visit, 64, FTW_PHYS);
  for (int i = 0; i < n; i++) if (entries[i].depth > maxdepth) maxdepth = entries[i].depth;
  struct timespec s, e; clock_gettime(CLOCK_MONOTONIC, &s);
  mkdir(dst, 0755);
  for (phase_depth = 1; phase_depth <= maxdepth; phase_depth++) run();
  phase_files = 1; run();
  clock_gettime(CLOCK_MONOTONIC, &e);
  int files = 0; for (int i = 0; i < n; i++) files += !entries[i].dir;
  printf("%d folders, %d files: %.3f s\n", n - files, files, (e.tv_sec - s.tv_sec) + (e.tv_nsec - s.tv_nsec) / 1e9);
  return 0;
}
