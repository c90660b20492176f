import { expect } from "chai";
import { artifacts } from "hardhat";

/**
 * EIP-170: no deployed code may pass 24,576 bytes. Checked on the compiled artifacts of every contract
 * and linked library the suite deploys (the compiler's own build, as `npm test` compiles it; coverage
 * instruments the code and lifts the limit, so it does not run this file).
 */
const DEPLOYED = [
  "RewardToken",
  "GovernedPriceFeed",
  "DataCredits",
  "DeviceRegistry",
  "DeviceOnboardingLib",
  "DeviceSuspensionLib",
  "Staking",
  "StakePoolLib",
  "CommissionLib",
  "StakingLens",
  "RewardsDistributor",
];
const EIP_170 = 24_576;

describe("contract sizes", function () {
  for (const name of DEPLOYED) {
    it(`${name} fits EIP-170's ${EIP_170.toLocaleString("en-US")}-byte limit`, async function () {
      const { deployedBytecode } = await artifacts.readArtifact(name);
      const size = deployedBytecode.length / 2 - 1;
      expect(size).to.be.greaterThan(0).and.at.most(EIP_170);
    });
  }
});
