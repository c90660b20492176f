import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { Wallet, id, parseEther } from "ethers";

import { signClaimTo } from "../../scripts/lib/rewards/signature";
import { proofFor } from "../fixtures/rewards-tree";
import { AdversarialReentrant1271Wallet__factory, RegistryMockReentrantReceiver__factory } from "../../typechain-types";
import { deployAdversarialFixture } from "../fixtures/adversarial";
import { postClaimableRoot, stateOf } from "./helpers";

describe("Adversarial", function () {
  describe("reentrancy", function () {
    it("through onERC721Received: a receiver re-entering onboard with the same key is refused, one fee, one token", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const receiver = await new RegistryMockReentrantReceiver__factory(s.deployer).deploy(
        await s.registry.getAddress(),
      );
      const owner = await receiver.getAddress();
      // The receiver owns the device and pays its fee: alice buys it credits for two fees.
      const fee = (await s.registry.deviceClass(0)).onboardingFee;
      await s.token.connect(s.alice).approve(await s.credits.getAddress(), parseEther("200"));
      await s.credits.connect(s.alice).mintWithTokens(owner, parseEther("200"), 0n);
      const credits = await s.credits.balanceOf(owner);
      expect(credits).to.be.gte(2n * fee);

      const device = new Wallet(id("reentrancy device"));
      const request = await s.onboardRequest(device, owner);
      await receiver.arm(request);
      await expect(receiver.onboard(request)).to.emit(s.registry, "DeviceOnboarded");

      expect(await receiver.received(), "one token received").to.equal(1n);
      expect(await receiver.reentrySucceeded(), "the re-entry failed").to.equal(false);
      const expected = s.registry.interface.encodeErrorResult("DeviceAlreadyOnboarded", [device.address]);
      expect(await receiver.reentryError()).to.equal(expected);
      expect(await s.registry.balanceOf(owner)).to.equal(1n);
      expect(await s.credits.balanceOf(owner), "exactly one fee").to.equal(credits - fee);
      expect((await s.registry.maker(s.makerId)).minted, "the maker's count moved once").to.equal(1n);
      expect(await s.registry.onboardingNonce(device.address)).to.equal(1n);
    });

    it("through an ERC-1271 wallet: a claim re-entered from isValidSignature voids the signature and pays nothing", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const wallet = await new AdversarialReentrant1271Wallet__factory(s.deployer).deploy(
        s.carol.address,
        await s.distributor.getAddress(),
      );
      const account = await wallet.getAddress();
      const amount = parseEther("1000");
      const { tree } = await postClaimableRoot(s, 0n, [
        { account, cumulativeAmount: amount },
        { account: s.bob.address, cumulativeAmount: parseEther("10") },
      ]);
      const { proof } = proofFor(tree, account);
      const deadline = 2n ** 40n;
      const signature = await signClaimTo(s.carol, await s.distributor.getAddress(), s.chainId, {
        account,
        recipient: s.carol.address,
        cumulativeAmount: amount,
        nonce: 0n,
        deadline,
      });
      await wallet.arm(amount, proof);
      const before = await stateOf(s, [account, s.carol.address]);

      // SignatureChecker asks with STATICCALL: the re-entered claim cannot write, so the wallet's check fails.
      await expect(s.distributor.connect(s.carol).claimTo(account, s.carol.address, amount, proof, deadline, signature))
        .to.be.revertedWithCustomError(s.distributor, "InvalidClaimSignature")
        .withArgs(account);
      expect(await stateOf(s, [account, s.carol.address]), "nothing changed").to.deep.equal(before);

      // The same signature from the honest wallet pays once, to the recipient; the account is then settled.
      await wallet.disarm();
      await expect(s.distributor.claimTo(account, s.carol.address, amount, proof, deadline, signature))
        .to.emit(s.distributor, "Claimed")
        .withArgs(account, s.carol.address, amount, amount);
      await expect(s.distributor.claim(account, amount, proof)).to.not.emit(s.distributor, "Claimed");
      expect(await s.rewardsLens.claimed(account)).to.equal(amount);
      expect(await s.token.balanceOf(account)).to.equal(0n);
    });
  });
});
