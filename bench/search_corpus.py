#!/usr/bin/env python3
"""The search benchmark's corpus (issue #20): ../shared/bench/gen_corpus.py's pages, made
unlike one another so that an index grows as it does with real text.

Usage: bench/search_corpus.py OUT_DIR PAGES_PER_LANGUAGE [UDHR_DIR]

OUT_DIR becomes a Monarch site (site.yaml, a home and a page per section, no search.md).

Every page keeps gen_corpus.py's shape (front matter, headings, a list, a quote, strong text,
a link to the next page) but takes its sentences at random from the whole UDHR of its
language, and adds two paragraphs of words drawn (Zipf-like: a few common, most rare) from a
vocabulary of VOCABULARY words per language. The vocabulary is made by a character Markov
chain trained on that UDHR (words of 2 to 4 characters for Chinese, syllable runs for Thai and
Korean, letters for English), with one Han character in four drawn from the whole CJK block,
so that the words look like the script's and most are not UDHR words. The same seed gives the
same corpus.
"""
import bisect, os, random, re, sys

LANGS = {"en": "udhr_eng.txt", "zh-hans": "udhr_cmn_hans.txt", "zh-hant": "udhr_cmn_hant.txt",
         "ko": "udhr_kor.txt", "th": "udhr_tha.txt"}
SECTIONS = ["rights", "safety", "health", "immigration"]
VOCABULARY = 30000


def udhr(path):
    lines = open(path, encoding="utf-8").read().split("-----", 1)[1].splitlines()
    paras = [l.strip() for l in lines if l.strip()]
    title = paras[0]
    arts, cur = [], None
    for p in paras[1:]:
        if len(p) < 24 and not p.endswith((".", "。", "다")):
            cur = [p, []]
            arts.append(cur)
        elif cur is not None:
            cur[1].append(p)
    arts = [a for a in arts if a[1]]
    sentences = [s for a in arts for p in a[1] for s in re.split(r"(?<=[.。])\s*", p) if len(s) > 8]
    return title, arts, sentences


def vocabulary(lang, text, rng):
    """VOCABULARY distinct words that look like the language's."""
    if lang.startswith("zh"):
        chars = [c for c in text if "\u4e00" <= c <= "\u9fff"]
        words = set()
        while len(words) < VOCABULARY:
            n = rng.choice([2, 2, 2, 3, 4])
            words.add("".join(chr(rng.randint(0x4E00, 0x9FA5)) if rng.random() < 0.25 else rng.choice(chars)
                              for _ in range(n)))
        return sorted(words)
    if lang == "en":
        runs = re.findall(r"[a-z]+", text.lower())
    elif lang == "ko":
        runs = re.findall(r"[\uac00-\ud7a3]+", text)
    else:
        runs = re.findall(r"[\u0e01-\u0e4e]+", text)
    # Korean has too few syllable pairs in one text for an order-2 chain to make that many
    # words: an order-1 chain there.
    order = 1 if lang == "ko" else 2
    chain = {}
    for run in runs:
        padded = "^" * order + run + "$"
        for i in range(order, len(padded)):
            chain.setdefault(padded[i - order:i], []).append(padded[i])
    words = set()
    lo, hi = {"en": (4, 12), "ko": (2, 5), "th": (3, 12)}[lang]
    while len(words) < VOCABULARY:
        state, word = "^" * order, ""
        while len(word) < hi:
            c = rng.choice(chain[state])
            if c == "$":
                break
            word += c
            state = (state + c)[-order:]
        if lo <= len(word) <= hi:
            words.add(word)
    return sorted(words)


def drawer(words, rng):
    """Draws words with weights 1/rank: a few common, most rare."""
    order = list(words)
    rng.shuffle(order)
    cumulative, total = [], 0.0
    for rank in range(1, len(order) + 1):
        total += 1.0 / rank
        cumulative.append(total)
    return lambda: order[bisect.bisect(cumulative, rng.random() * total)], order


def joined(lang, words):
    if lang.startswith("zh"):
        return "".join(words) + "。"
    if lang == "th":
        return " ".join("".join(words[i:i + 3]) for i in range(0, len(words), 3))
    return " ".join(words) + "."


def page(lang, title, arts, sentences, draw, rng, i, n):
    a, b, c = (rng.choice(arts) for _ in range(3))
    sec = SECTIONS[i % len(SECTIONS)]
    nxt = (i + 1) % n
    nsec = SECTIONS[nxt % len(SECTIONS)]
    said = lambda k: " ".join(rng.choice(sentences) for _ in range(k))
    words = lambda k: joined(lang, [draw() for _ in range(k)])
    out = ["---", f'title: "{a[0]} {draw()} · {i}"', f"weight: {i}", "---", "",
           said(2), "", f"## {b[0]}", ""]
    out += [f"- {rng.choice(sentences)}" for _ in range(3)] + [""]
    out += [f"**{c[0]}** — {said(1)}", "", words(rng.randint(30, 60)), "", f"## {c[0]}", ""]
    out += [f"> {rng.choice(sentences)}", "", said(2), "", words(rng.randint(30, 60)), ""]
    out += [f"[{title}](/{lang}/{nsec}/page-{nxt}/)", ""]
    return sec, "\n".join(out)


def site(out):
    """A home and a page per section in each language, and site.yaml: a Monarch site with no
    search.md, so that its search pages are the ones the build makes."""
    with open(os.path.join(out, "site.yaml"), "w", encoding="utf-8") as f:
        f.write("title: Benchmark\nbase_url: https://example.org/\nlanguages:\n")
        for key, tag, name in [("en", "en", "English"), ("zh-hans", "zh-Hans", "简体中文"),
                               ("zh-hant", "zh-Hant", "繁體中文"), ("ko", "ko", "한국어"), ("th", "th", "ไทย")]:
            f.write(f"  - {{key: {key}, tag: {tag}, name: {name}}}\n")
    for key in LANGS:
        folder = os.path.join(out, "content", key)
        with open(os.path.join(folder, "index.md"), "w", encoding="utf-8") as f:
            f.write("---\ntitle: Benchmark\n---\n")
        for weight, section in enumerate(SECTIONS):
            with open(os.path.join(folder, section, "index.md"), "w", encoding="utf-8") as f:
                f.write(f"---\ntitle: {section.capitalize()}\nweight: {weight}\n---\n")


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "..", "..", "shared", "corpus", "udhr")
    for lang, fn in LANGS.items():
        rng = random.Random(f"monarch-search-{lang}")
        title, arts, sentences = udhr(os.path.join(src, fn))
        text = open(os.path.join(src, fn), encoding="utf-8").read()
        draw, _ = drawer(vocabulary(lang, text, rng), rng)
        for i in range(n):
            sec, body = page(lang, title, arts, sentences, draw, rng, i, n)
            d = os.path.join(out, "content", lang, sec)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, f"page-{i}.md"), "w", encoding="utf-8") as f:
                f.write(body)
    site(out)


if __name__ == "__main__":
    main()
