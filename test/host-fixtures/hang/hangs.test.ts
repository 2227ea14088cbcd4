// Self-check fixture (not part of the host suite): a test that never settles and has no mocha
// timeout, so the harness never writes a result and the runner's own timeout must end the run.
describe('fixture: hanging suite', () => {
  it('never finishes', function () {
    this.timeout(0);
    return new Promise<void>(() => undefined);
  });
});
