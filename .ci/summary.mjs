// Prints vitest's JSON report as the one line CI reads: "N passed, N failed, N skipped".
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log('0 passed, 1 failed');
  console.error(`no test report at ${file}: ${error.message}`);
  process.exit(1);
}
let failed = report.numFailedTests;
// A file that fails to load has no failed test, only a failed suite: count it, never report it green.
if (failed === 0 && (report.numFailedTestSuites > 0 || report.success === false)) failed = Math.max(1, report.numFailedTestSuites);
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || report.numPassedTests === 0 ? 1 : 0);
