#!/usr/bin/env python3
"""The current version of every PMID in PubMed XML baseline and update files, computed with
Python's standard library alone, to check `medline --latest` against (test/engine/latest.test.ts,
npm run bench). Files in the order given (NLM's order): a PMID's version in a later file
replaces the earlier one; a PMID in a file's DeleteCitation is gone from the files before it
(a later file may add it again). Prints "PMID<TAB>title" lines, sorted by PMID."""
import gzip
import sys
import xml.etree.ElementTree as ET


def main(paths):
    current = {}  # pmid -> (file index, title)
    for index, path in enumerate(paths):
        opener = gzip.open if path.endswith('.gz') else open
        with opener(path, 'rb') as f:
            for _, element in ET.iterparse(f, events=('end',)):
                if element.tag == 'PubmedArticle':
                    pmid = element.findtext('MedlineCitation/PMID')
                    title = ''.join(element.find('MedlineCitation/Article/ArticleTitle').itertext())
                    current[pmid] = (index, ' '.join(title.split()))
                    element.clear()
                elif element.tag == 'DeleteCitation':
                    for p in element.findall('PMID'):
                        kept = current.get(p.text)
                        if kept is not None and kept[0] < index:
                            del current[p.text]
                    element.clear()
    for pmid in sorted(current, key=int):
        sys.stdout.write(f'{pmid}\t{current[pmid][1]}\n')


if __name__ == '__main__':
    main(sys.argv[1:])
