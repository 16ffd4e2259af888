// Preloaded into every measured Node process (`node --import`): reports its peak memory and
// the CPU time of all its threads (main, workers, GC, zlib) at exit.
process.on('exit', () => {
  const usage = process.resourceUsage();
  process.stderr.write(`\nBENCH_PEAK_RSS ${usage.maxRSS * 1024}\nBENCH_CPU ${(usage.userCPUTime + usage.systemCPUTime) / 1e6}\n`);
});
