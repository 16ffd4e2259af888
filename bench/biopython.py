# Biopython's MEDLINE parser on the same file: raw dicts, or dicts written as JSON lines.
import json, resource, sys, time
from Bio import Medline

mode, path = sys.argv[1], sys.argv[2]
records = 0
with open(path, encoding="utf-8") as handle, open("/dev/null", "w") as out:
    for record in Medline.parse(handle):
        records += 1
        if mode == "json":
            out.write(json.dumps(record))
            out.write("\n")
print(records)
sys.stderr.write("\nBENCH_PEAK_RSS %d\n" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))
