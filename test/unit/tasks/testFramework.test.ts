import assert from 'node:assert/strict';
import { planTests } from '../../../src/core/tasks/testFramework';

describe('test framework detection', () => {
  it('uses the JavaScript framework from package.json and the folder\'s spec habit', () => {
    const plan = planTests({
      language: 'typescript',
      sourcePath: 'src/math/add.ts',
      siblingFiles: ['add.ts', 'sub.spec.ts'],
      buildFiles: { 'package.json': JSON.stringify({ devDependencies: { vitest: '^2' } }) },
    });
    assert.equal(plan.framework, 'Vitest');
    assert.equal(plan.detected, true);
    assert.equal(plan.testPath, 'src/math/add.spec.ts');
  });

  it('falls back to node:test and .test naming when nothing is known', () => {
    const plan = planTests({ language: 'javascript', sourcePath: 'index.js', siblingFiles: [], buildFiles: {} });
    assert.match(plan.framework, /node:test/);
    assert.equal(plan.detected, false);
    assert.equal(plan.testPath, 'index.test.js');
  });

  it('prefers pytest when the project mentions it, unittest otherwise', () => {
    const withPytest = planTests({ language: 'python', sourcePath: 'pkg/calc.py', siblingFiles: [], buildFiles: { 'pyproject.toml': '[tool.pytest.ini_options]\n' } });
    assert.equal(withPytest.framework, 'pytest');
    assert.equal(withPytest.testPath, 'pkg/test_calc.py');
    assert.equal(planTests({ language: 'python', sourcePath: 'calc.py', siblingFiles: [], buildFiles: {} }).framework, 'unittest');
  });

  it('names Go, Java and Ruby tests the way those ecosystems do', () => {
    assert.equal(planTests({ language: 'go', sourcePath: 'a/b.go', siblingFiles: [], buildFiles: {} }).testPath, 'a/b_test.go');
    const java = planTests({ language: 'java', sourcePath: 'src/Foo.java', siblingFiles: [], buildFiles: { 'pom.xml': '<artifactId>junit</artifactId>' } });
    assert.equal(java.testPath, 'src/FooTest.java');
    assert.equal(java.framework, 'JUnit 4');
    const ruby = planTests({ language: 'ruby', sourcePath: 'lib/x.rb', siblingFiles: [], buildFiles: { Gemfile: "gem 'rspec'" } });
    assert.equal(ruby.testPath, 'lib/x_spec.rb');
  });

  it('ignores a package.json it cannot parse', () => {
    assert.equal(planTests({ language: 'typescript', sourcePath: 'a.ts', siblingFiles: [], buildFiles: { 'package.json': '{oops' } }).detected, false);
  });
});
