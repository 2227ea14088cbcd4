// Self-check fixture (not part of the host suite): kills its own extension host, as a native crash would.
describe('fixture: crashing suite', () => {
  it('kills the extension host', () => {
    process.kill(process.pid, 'SIGKILL');
  });
});
