// solidity-coverage: measure the suite's contracts, not the test-only mocks. The json-summary
// report feeds the coverage gate (`npm run coverage:gate`).
module.exports = {
  skipFiles: ["mocks/"],
  istanbulReporter: ["text", "json-summary", "lcov"],
};
