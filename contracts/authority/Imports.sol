// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// The suite deploys these OpenZeppelin contracts unmodified: the single AccessManager that holds
// every role, and the ERC-1967 proxy in front of each UUPS implementation. Importing them here
// makes Hardhat compile them, so the deploy library and TypeChain have their artifacts and types.
// solhint-disable no-unused-import
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
