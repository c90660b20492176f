import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { Wallet, id, parseEther } from "ethers";

import { signTokenPermit } from "../../scripts/lib/credits";
import { registryDomain } from "../../scripts/lib/registry";
import { signClaimTo } from "../../scripts/lib/rewards/signature";
import { proofFor } from "../../scripts/lib/rewards/tree";
import { deployAdversarialFixture } from "../fixtures/adversarial";
import { malleate, postClaimableRoot, stateOf } from "./helpers";

describe("Adversarial", function () {
  describe("signatures", function () {
    it("replay across chains: an onboarding and a claimTo signed for chain 1 are refused on this chain", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const device = new Wallet(id("cross-chain device"));
      const otherChain = registryDomain(1n, await s.registry.getAddress());
      const request = await s.onboardRequest(device, s.alice.address, { domain: otherChain });
      const { tree } = await postClaimableRoot(s, 0n, [{ account: s.bob.address, cumulativeAmount: 100n }]);
      const claimSignature = await signClaimTo(s.bob, await s.distributor.getAddress(), 1n, {
        account: s.bob.address,
        recipient: s.carol.address,
        cumulativeAmount: 100n,
        nonce: 0n,
        deadline: 2n ** 40n,
      });
      const before = await stateOf(s, [s.alice.address, s.bob.address, s.carol.address], [device.address]);

      await expect(s.registry.connect(s.alice).onboard(request))
        .to.be.revertedWithCustomError(s.registry, "InvalidMakerSignature")
        .withArgs(s.makerId, device.address);
      // The device half alone, with a valid attestation, is refused too.
      const honest = await s.onboardRequest(device, s.alice.address);
      await expect(s.registry.connect(s.alice).onboard({ ...honest, deviceSignature: request.deviceSignature }))
        .to.be.revertedWithCustomError(s.registry, "InvalidDeviceSignature")
        .withArgs(device.address);
      const { proof } = proofFor(tree, s.bob.address);
      await expect(s.distributor.claimTo(s.bob.address, s.carol.address, 100n, proof, 2n ** 40n, claimSignature))
        .to.be.revertedWithCustomError(s.distributor, "InvalidClaimSignature")
        .withArgs(s.bob.address);
      expect(await stateOf(s, [s.alice.address, s.bob.address, s.carol.address], [device.address])).to.deep.equal(
        before,
      );
    });

    it("replay across contracts: signatures bound to another verifying contract are refused", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const device = new Wallet(id("cross-contract device"));
      // An onboarding signed for another registry (here: the distributor's address as verifying contract).
      const elsewhere = registryDomain(s.chainId, await s.distributor.getAddress());
      const request = await s.onboardRequest(device, s.alice.address, { domain: elsewhere });
      const { tree } = await postClaimableRoot(s, 0n, [{ account: s.bob.address, cumulativeAmount: 100n }]);
      // A claimTo signed for another distributor (here: the registry's address).
      const claimSignature = await signClaimTo(s.bob, await s.registry.getAddress(), s.chainId, {
        account: s.bob.address,
        recipient: s.carol.address,
        cumulativeAmount: 100n,
        nonce: 0n,
        deadline: 2n ** 40n,
      });
      const before = await stateOf(s, [s.alice.address, s.bob.address, s.carol.address], [device.address]);

      await expect(s.registry.connect(s.alice).onboard(request))
        .to.be.revertedWithCustomError(s.registry, "InvalidMakerSignature")
        .withArgs(s.makerId, device.address);
      const { proof } = proofFor(tree, s.bob.address);
      await expect(s.distributor.claimTo(s.bob.address, s.carol.address, 100n, proof, 2n ** 40n, claimSignature))
        .to.be.revertedWithCustomError(s.distributor, "InvalidClaimSignature")
        .withArgs(s.bob.address);
      expect(await stateOf(s, [s.alice.address, s.bob.address, s.carol.address], [device.address])).to.deep.equal(
        before,
      );
    });

    it("replay after decommission: the used request, and a fresh one from the same key, never onboard again", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const device = new Wallet(id("decommissioned device"));
      const request = await s.onboardRequest(device, s.alice.address);
      await s.registry.connect(s.alice).onboard(request);
      await s.registry.connect(s.alice).decommission(BigInt(device.address));
      const fresh = await s.onboardRequest(device, s.bob.address);
      const before = await stateOf(s, [s.alice.address, s.bob.address], [device.address]);

      await expect(s.registry.connect(s.alice).onboard(request))
        .to.be.revertedWithCustomError(s.registry, "DeviceAlreadyOnboarded")
        .withArgs(device.address);
      await expect(s.registry.connect(s.bob).onboard(fresh))
        .to.be.revertedWithCustomError(s.registry, "DeviceAlreadyOnboarded")
        .withArgs(device.address);
      expect(await stateOf(s, [s.alice.address, s.bob.address], [device.address])).to.deep.equal(before);
      await expect(s.registry.ownerOf(BigInt(device.address)))
        .to.be.revertedWithCustomError(s.registry, "ERC721NonexistentToken")
        .withArgs(BigInt(device.address));
    });

    it("malleable signatures: the high-s twin of a valid maker, device or claimTo signature is refused", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const device = new Wallet(id("malleable device"));
      const request = await s.onboardRequest(device, s.alice.address);
      const { tree } = await postClaimableRoot(s, 0n, [{ account: s.bob.address, cumulativeAmount: 100n }]);
      const message = {
        account: s.bob.address,
        recipient: s.carol.address,
        cumulativeAmount: 100n,
        nonce: 0n,
        deadline: 2n ** 40n,
      };
      const claimSignature = await signClaimTo(s.bob, await s.distributor.getAddress(), s.chainId, message);
      const { proof } = proofFor(tree, s.bob.address);
      const before = await stateOf(s, [s.alice.address, s.bob.address, s.carol.address], [device.address]);

      await expect(
        s.registry.connect(s.alice).onboard({ ...request, makerSignature: malleate(request.makerSignature) }),
      )
        .to.be.revertedWithCustomError(s.registry, "InvalidMakerSignature")
        .withArgs(s.makerId, device.address);
      await expect(
        s.registry.connect(s.alice).onboard({ ...request, deviceSignature: malleate(request.deviceSignature) }),
      )
        .to.be.revertedWithCustomError(s.registry, "InvalidDeviceSignature")
        .withArgs(device.address);
      await expect(
        s.distributor.claimTo(s.bob.address, s.carol.address, 100n, proof, 2n ** 40n, malleate(claimSignature)),
      )
        .to.be.revertedWithCustomError(s.distributor, "InvalidClaimSignature")
        .withArgs(s.bob.address);
      expect(await stateOf(s, [s.alice.address, s.bob.address, s.carol.address], [device.address])).to.deep.equal(
        before,
      );
      // The original, low-s signatures still work: the refusals were for the twins.
      await expect(s.registry.connect(s.alice).onboard(request)).to.emit(s.registry, "DeviceOnboarded");
      await expect(
        s.distributor.claimTo(s.bob.address, s.carol.address, 100n, proof, 2n ** 40n, claimSignature),
      ).to.emit(s.distributor, "Claimed");
    });

    it("a front-run permit: the victim's permit-and-mint still mints to the victim, and the front-runner gains nothing", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const victim = s.carol;
      const attacker = s.bob;
      const creditsAddress = await s.credits.getAddress();
      const amount = parseEther("10");
      const deadline = 2n ** 40n;
      await s.token.connect(victim).approve(creditsAddress, 0n);
      const sig = await signTokenPermit(s.token, victim, creditsAddress, amount, deadline);
      const attackerBefore = await stateOf(s, [attacker.address]);

      // The attacker sees the permit in the mempool and submits it first: the allowance is set, nonce used.
      await s.token.connect(attacker).permit(victim.address, creditsAddress, amount, deadline, sig.v, sig.r, sig.s);
      // Replaying the permit again fails: the nonce moved.
      await expect(
        s.token.connect(attacker).permit(victim.address, creditsAddress, amount, deadline, sig.v, sig.r, sig.s),
      ).to.be.revertedWithCustomError(s.token, "ERC2612InvalidSigner");
      // The attacker cannot spend the allowance: it was given to DataCredits, which burns only msg.sender's tokens.
      await expect(s.credits.connect(attacker).mintWithTokens(attacker.address, amount, 0n))
        .to.be.revertedWithCustomError(s.token, "ERC20InsufficientAllowance")
        .withArgs(creditsAddress, 0n, amount);

      const quoted = await s.credits.quoteCredits(amount);
      const credits = await s.credits.balanceOf(victim.address);
      const tokens = await s.token.balanceOf(victim.address);
      await expect(
        s.credits.connect(victim).mintWithTokensPermit(victim.address, amount, quoted, deadline, sig.v, sig.r, sig.s),
      )
        .to.emit(s.credits, "CreditsMinted")
        .withArgs(victim.address, victim.address, amount, quoted, (await s.credits.price()).answer);
      expect(await s.credits.balanceOf(victim.address)).to.equal(credits + quoted);
      expect(await s.token.balanceOf(victim.address)).to.equal(tokens - amount);
      expect(await s.token.allowance(victim.address, creditsAddress)).to.equal(0n);
      const attackerAfter = (await stateOf(s, [attacker.address])) as { perAccount: unknown };
      expect(attackerAfter.perAccount, "the attacker's tokens, nonces, stake and credits").to.deep.equal(
        (attackerBefore as { perAccount: unknown }).perAccount,
      );
    });
  });
});
