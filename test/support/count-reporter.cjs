// Mocha reporter: the usual spec output, plus the counts written as JSON to the file named by
// AURELIS_RESULT_FILE so scripts/test.mjs can add up every layer into one closing line.
const fs = require('node:fs');
const Mocha = require('mocha');
const { EVENT_RUN_END, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const result = { passed: 0, failed: 0, pending: 0, failures: [] };
    runner.on(EVENT_TEST_PASS, () => result.passed++);
    runner.on(EVENT_TEST_PENDING, () => result.pending++);
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      result.failed++;
      result.failures.push({ title: test.fullTitle(), error: String(err && err.stack ? err.stack : err) });
    });
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.AURELIS_RESULT_FILE;
      if (file) fs.writeFileSync(file, JSON.stringify(result, null, 2));
    });
  }
}
module.exports = CountReporter;
