// solidity-coverage: measure the suite's contracts, not the test-only mocks.
module.exports = {
  skipFiles: ["mocks/"],
};
