/**
 * The `kesu` command's entry. `kesu survey …` works on files alone (statistics, no database, no server) and loads
 * only its own modules: bundled with code splitting (server/build.mjs), it starts in ~0.1 s instead of the ~1.7 s
 * of loading the whole server first (measured on the 1M-row estimate, bench/cli.bench.ts). Every other command is in
 * commands.ts.
 */
export {};

const argv = process.argv.slice(2);
if (argv[0] === 'survey') {
  const { runSurveyCommand } = await import('./survey.command');
  await runSurveyCommand(argv.slice(1));
} else {
  await import('./commands');
}
