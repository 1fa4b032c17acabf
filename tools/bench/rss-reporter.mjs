// Loaded with `node --import` into the process under test: reports its peak RSS and its CPU
// time (user + system, all threads; steadier than wall time on a loaded machine) on exit.
process.on('exit', () => {
  const u = process.resourceUsage()
  process.stderr.write(
    `\n@@bench ${JSON.stringify({ maxRssKiB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 })}\n`,
  )
})
