// Preloaded into every measured Node process (`node --import`): reports its peak memory at exit.
process.on('exit', () => {
  process.stderr.write(`\nBENCH_PEAK_RSS ${process.resourceUsage().maxRSS * 1024}\n`);
});
