// Runs dynalite (in memory) in its own process, so its work does not queue behind the test's own
// event loop; prints the port it listens on, then serves until killed.
const dynalite = require('dynalite');

const server = dynalite({ createTableMs: 0 });
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
