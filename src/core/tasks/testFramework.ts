/**
 * Which test framework a project already uses, and where a new test file for a source file
 * goes (beside it, named the way that ecosystem names tests). Decided from the project's
 * build files, which the caller reads; nothing here touches the disk.
 */
import path from 'node:path';

/** Build files the caller should look for, walking up from the source file to the workspace root. */
export const BUILD_FILE_NAMES = [
  'package.json',
  'pyproject.toml',
  'setup.cfg',
  'pytest.ini',
  'conftest.py',
  'requirements.txt',
  'requirements-dev.txt',
  'Gemfile',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'composer.json',
  'Directory.Packages.props',
] as const;

export interface TestProjectFacts {
  language: string;
  /** Workspace-relative path of the source file, with forward slashes. */
  sourcePath: string;
  /** File names in the source file's folder (to follow an existing `.spec`/`.test` habit). */
  siblingFiles: readonly string[];
  /** Text of the nearest of each BUILD_FILE_NAMES entry that exists. */
  buildFiles: Partial<Record<(typeof BUILD_FILE_NAMES)[number], string>>;
}

export interface TestPlan {
  /** Human name of the framework, used in the prompt ("Vitest", "pytest", …). */
  framework: string;
  /** True when the project told us; false when it is the language's usual default. */
  detected: boolean;
  /** Workspace-relative path of the new test file. */
  testPath: string;
  /** How the test file reaches the code under test, for the prompt. */
  importHint: string;
}

const JS_LANGUAGES = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact']);

export function planTests(facts: TestProjectFacts): TestPlan {
  const dir = path.posix.dirname(facts.sourcePath);
  const file = path.posix.basename(facts.sourcePath);
  const ext = path.posix.extname(file);
  const base = file.slice(0, file.length - ext.length);
  const beside = (name: string) => (dir === '.' ? name : `${dir}/${name}`);
  const has = (name: (typeof BUILD_FILE_NAMES)[number], pattern: RegExp) => pattern.test(facts.buildFiles[name] ?? '');

  if (JS_LANGUAGES.has(facts.language)) {
    const found = jsFramework(facts.buildFiles['package.json']);
    const style = facts.siblingFiles.some((f) => /\.spec\.[cm]?[jt]sx?$/.test(f)) ? 'spec' : 'test';
    return {
      framework: found ?? 'the Node.js built-in test runner (node:test with node:assert)',
      detected: found !== undefined,
      testPath: beside(`${base}.${style}${ext}`),
      importHint: `import from './${base}'`,
    };
  }
  switch (facts.language) {
    case 'python': {
      const pytest =
        facts.buildFiles['pytest.ini'] !== undefined ||
        facts.buildFiles['conftest.py'] !== undefined ||
        has('pyproject.toml', /pytest/) ||
        has('setup.cfg', /pytest/) ||
        has('requirements.txt', /^pytest\b/m) ||
        has('requirements-dev.txt', /^pytest\b/m);
      return {
        framework: pytest ? 'pytest' : 'unittest',
        detected: pytest,
        testPath: beside(`test_${base}.py`),
        importHint: `import the module \`${base}\` (same folder)`,
      };
    }
    case 'go':
      return { framework: "Go's testing package", detected: true, testPath: beside(`${base}_test.go`), importHint: 'same package as the source file' };
    case 'java':
    case 'kotlin': {
      const junit4 = has('pom.xml', /<artifactId>junit<\/artifactId>/) || has('build.gradle', /junit:junit/) || has('build.gradle.kts', /junit:junit/);
      const junit5 = has('pom.xml', /junit-jupiter/) || has('build.gradle', /junit-jupiter|useJUnitPlatform/) || has('build.gradle.kts', /junit-jupiter|useJUnitPlatform/);
      return {
        framework: junit4 && !junit5 ? 'JUnit 4' : 'JUnit 5',
        detected: junit4 || junit5,
        testPath: beside(`${base}Test${ext}`),
        importHint: 'same package as the class under test',
      };
    }
    case 'csharp': {
      const props = facts.buildFiles['Directory.Packages.props'] ?? '';
      const name = /nunit/i.test(props) ? 'NUnit' : /mstest/i.test(props) ? 'MSTest' : 'xUnit';
      return { framework: name, detected: /xunit|nunit|mstest/i.test(props), testPath: beside(`${base}Tests.cs`), importHint: 'reference the namespace of the class under test' };
    }
    case 'ruby': {
      const rspec = has('Gemfile', /rspec/);
      return {
        framework: rspec ? 'RSpec' : 'Minitest',
        detected: rspec || has('Gemfile', /minitest/),
        testPath: beside(rspec ? `${base}_spec.rb` : `${base}_test.rb`),
        importHint: `require_relative '${base}'`,
      };
    }
    case 'php':
      return { framework: 'PHPUnit', detected: has('composer.json', /phpunit/), testPath: beside(`${base}Test.php`), importHint: 'autoload or require the class under test' };
    case 'rust':
      return {
        framework: "Rust's built-in test harness (#[test])",
        detected: true,
        testPath: beside(`${base}_tests.rs`),
        importHint: `a module file to declare with \`#[cfg(test)] mod ${base}_tests;\` next to \`${base}\``,
      };
    default:
      return { framework: `the usual test framework for ${facts.language}`, detected: false, testPath: beside(`${base}.test${ext}`), importHint: `the file ${file} in the same folder` };
  }
}

function jsFramework(packageJson: string | undefined): string | undefined {
  if (packageJson === undefined) return undefined;
  let pkg: unknown;
  try {
    pkg = JSON.parse(packageJson);
  } catch {
    return undefined;
  }
  if (typeof pkg !== 'object' || pkg === null) return undefined;
  const record = pkg as Record<string, unknown>;
  const deps = new Set<string>();
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
    const value = record[field];
    if (typeof value === 'object' && value !== null) for (const name of Object.keys(value)) deps.add(name);
  }
  const known: Array<[string, string]> = [
    ['vitest', 'Vitest'],
    ['jest', 'Jest'],
    ['mocha', 'Mocha (with node:assert)'],
    ['jasmine', 'Jasmine'],
    ['ava', 'AVA'],
  ];
  return known.find(([name]) => deps.has(name))?.[1];
}
