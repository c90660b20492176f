// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// The suite's single authority is OpenZeppelin's AccessManager, deployed unmodified. This import
// makes Hardhat compile it, so the deploy library and TypeChain have its artifact and types.
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
