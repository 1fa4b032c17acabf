// Loaded with `node --import` into the process under test: reports its peak RSS on exit.
process.on('exit', () => {
  process.stderr.write(`\n@@bench ${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`)
})
