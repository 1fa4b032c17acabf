// Loaded with `node --import` into the process under test (npm run bench:store): reports its
// CPU time on exit, which a loaded machine inflates far less than wall time.
process.on('exit', () => {
  const { user, system } = process.cpuUsage()
  process.stderr.write(`\n@@cpu ${JSON.stringify({ cpuMs: (user + system) / 1000 })}\n`)
})
