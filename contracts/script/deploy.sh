#!/usr/bin/env bash
# Deploys TaoCoordinator with cast and writes a machine-readable deployment record.
#
#   local devnet (anvil's unlocked accounts, no key involved):
#     script/deploy.sh --rpc-url http://127.0.0.1:8545 --unlocked-from 0xf39F...
#   public testnet (encrypted V3 keystore; cast reads the password file):
#     ETH_KEYSTORE=~/key.json ETH_PASSWORD=~/password-file script/deploy.sh --rpc-url https://...
#
# Parameters come from the environment (defaults in brackets): TAO_ARITY [4],
# TAO_CHALLENGE_WINDOW [3600] s, TAO_MOVE_TIMEOUT [1800] s, TAO_VOTE_WINDOW [86400] s,
# TAO_UNBONDING [172800] s, TAO_PROVIDER_BOND [1ether], TAO_CHALLENGER_BOND [1ether],
# TAO_MEMBER_STAKE [0.5ether], TAO_QUORUM [3] seats, TAO_VOTER_REWARD_BPS [2000], TAO_SLASH_BPS [1000],
# TAO_PANEL_SIZE [5] seats, TAO_DRAW_DELAY [2] blocks.
# The record goes to deployments/<chainId>.json unless --out FILE is given.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cast="$here/node_modules/.bin/cast"
rpc="" from="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rpc-url) rpc="$2"; shift 2 ;;
    --unlocked-from) from="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "deploy: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$rpc" ] || { echo "deploy: --rpc-url is required" >&2; exit 2; }
artifact="$here/out/TaoCoordinator.sol/TaoCoordinator.json"
[ -f "$artifact" ] || { echo "deploy: $artifact missing; run forge build first" >&2; exit 1; }

wei() { "$cast" to-wei "${1%ether}" ether; }
cfg="(${TAO_ARITY:-4},${TAO_CHALLENGE_WINDOW:-3600},${TAO_MOVE_TIMEOUT:-1800},${TAO_VOTE_WINDOW:-86400},${TAO_UNBONDING:-172800},$(wei "${TAO_PROVIDER_BOND:-1ether}"),$(wei "${TAO_CHALLENGER_BOND:-1ether}"),$(wei "${TAO_MEMBER_STAKE:-0.5ether}"),${TAO_QUORUM:-3},${TAO_VOTER_REWARD_BPS:-2000},${TAO_SLASH_BPS:-1000},${TAO_PANEL_SIZE:-5},${TAO_DRAW_DELAY:-2})"
args="$("$cast" abi-encode 'constructor((uint8,uint32,uint32,uint32,uint32,uint96,uint96,uint96,uint16,uint16,uint16,uint16,uint16))' "$cfg")"
code="$(node -e 'console.log(require(process.argv[1]).bytecode.object)' "$artifact")"

wallet=()
if [ -n "$from" ]; then wallet=(--unlocked --from "$from"); fi
receipt="$("$cast" send --rpc-url "$rpc" "${wallet[@]}" --json --create "${code}${args#0x}")"
chain="$("$cast" chain-id --rpc-url "$rpc")"
out="${out:-$here/deployments/$chain.json}"
mkdir -p "$(dirname "$out")"
node - "$receipt" "$chain" "$cfg" "$out" <<'JS'
const [receipt, chain, cfg, out] = process.argv.slice(2);
const r = JSON.parse(receipt);
if (r.status !== '0x1' && r.status !== 1) { console.error('deploy: transaction failed'); process.exit(1); }
const v = cfg.slice(1, -1).split(',');
const names = ['arity', 'challengeWindow', 'moveTimeout', 'voteWindow', 'unbondingPeriod', 'providerBond',
  'challengerBond', 'memberStake', 'quorum', 'voterRewardBps', 'slashBps', 'panelSize', 'drawDelay'];
const record = {
  contract: 'TaoCoordinator', chainId: Number(chain), address: r.contractAddress, deployer: r.from,
  transactionHash: r.transactionHash, blockNumber: Number(r.blockNumber), gasUsed: Number(r.gasUsed),
  config: Object.fromEntries(names.map((n, i) => [n, v[i]])),
  abi: 'contracts/out/TaoCoordinator.sol/TaoCoordinator.json',
};
const fs = require('fs');
fs.writeFileSync(out + '.tmp', JSON.stringify(record, null, 2) + '\n');
fs.renameSync(out + '.tmp', out);
console.log(r.contractAddress);
JS
