# Biopython on the same file: MEDLINE text as raw dicts (`parse`) or dicts written as JSON
# lines (`json`); PubMed XML (`xml`) read by Bio.Entrez and written as JSON lines.
# Entrez.parse refuses a PubmedArticleSet ("does not represent a list") in the Biopython
# Debian ships (1.80), so the XML is read whole with Entrez.read: what its users do.
import json, resource, sys
from Bio import Entrez, Medline

mode, path = sys.argv[1], sys.argv[2]
records = 0
if mode == "xml":
    with open(path, "rb") as handle, open("/dev/null", "w") as out:
        data = Entrez.read(handle, validate=False)
        for key in ("PubmedArticle", "PubmedBookArticle"):
            for record in data.get(key, []):
                records += 1
                out.write(json.dumps(record, default=str))
                out.write("\n")
else:
    with open(path, encoding="utf-8") as handle, open("/dev/null", "w") as out:
        for record in Medline.parse(handle):
            records += 1
            if mode == "json":
                out.write(json.dumps(record))
                out.write("\n")
print(records)
sys.stderr.write("\nBENCH_PEAK_RSS %d\n" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))
