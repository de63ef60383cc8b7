#include "app/cli/commands.hpp"

namespace tao::cli {

const std::vector<Command>& commands() {
    static const std::vector<Command> list = {
        {"capture", "run a model with the instrumented runtime and commit to its trace",
         "tao capture --model M.pt (--input X.safetensors | --random-input SEED) --out T.taotrace\n"
         "            [--light] [--threads N] [--no-onednn] [--flush-denormal]",
         runCapture},
        {"inspect", "show a trace bundle: model, runtime, root and the operator table",
         "tao inspect T.taotrace [--verify] [--json] [--limit N]", runInspect},
        {"replay", "re-execute operators on the trace's committed inputs and report the error",
         "tao replay --model M.pt --trace T.taotrace [--op N | --from A --to B] [--segment]\n"
         "           [--threads N] [--no-onednn] [--flush-denormal] [--json]",
         runReplay, true},
        {"bounds", "per operator: the sound error bound and the trace's error against it",
         "tao bounds --model M.pt --trace T.taotrace [--op N] [--tf32] [--json]\n"
         "           [--weights heap|mapped|by-size]   (as tao verify)\n"
         "       tao bounds --coverage M.pt [--json]   (kinds without a bound: exit 2)",
         runBounds, true},
        {"calibrate", "measure empirical error thresholds per operator, or merge profiles",
         "tao calibrate --model M.pt (--inputs DIR | --random N) --out P.json\n"
         "              [--configs default|gpu|all|NAME,...] [--percentile 99.99] [--safety 3]\n"
         "              [--shard i/N] [--seed-base S] [--no-segments] [--quiet]\n"
         "       tao calibrate merge A.json B.json [...] -o C.json\n"
         "       tao calibrate rekey P.json --model M.pt -o Q.json   (legacy model id -> current)",
         runCalibrate, true},
        {"verify", "judge every operator of a trace: PASS, SUSPECT, FAIL or NO-BOUND",
         "tao verify --model M.pt --trace T.taotrace --profile P.json [--json] [--shard i/N]\n"
         "                  [--threads N]   (default: every core but one, left to reading ahead)\n"
         "                  [--weights heap|mapped|by-size]   (default by-size: archives up to\n"
         "                  256 MiB read into memory at load, larger ones mapped and read in "
         "place)\n"
         "       tao verify merge SHARD.json... [--json]   (shards' --json reports as one run)\n"
         "           exit code 0 all PASS, 1 SUSPECT, 2 FAIL or NO-BOUND, 3 usage/input error",
         runVerify, true},
        {"evidence", "export self-contained evidence of one operator's verdict",
         "tao evidence --model M.pt --trace T.taotrace --profile P.json --op N --out E.taoevidence",
         runEvidence},
        {"verify-evidence", "check evidence offline (proofs, hashes) and judge its operator again",
         "tao verify-evidence E.taoevidence --model M.pt [--json]\n"
         "           exit code as tao verify for the recomputed verdict; 4 when the evidence\n"
         "           does not hold or records another verdict",
         runVerifyEvidence, true},
        {"compare", "two traces of one model on the same inputs, operator by operator",
         "tao compare --model M.pt A.taotrace B.taotrace [--json] [--limit N]\n"
         "           exit code 0 identical, 1 some operators differ, 3 traces that do not match",
         runCompare, true},
        {"graph", "export the operator graph coloured by verdict (SVG, PNG or DOT), no display",
         "tao graph --model M.pt [--trace T.taotrace [--profile P.json]]\n"
         "          (--svg out.svg | --png out.png | --dot out.dot) [--expand all|SCOPE,...]\n"
         "          exit code as tao verify when a trace is given (0 PASS, 1 SUSPECT, 2 FAIL)",
         runGraph},
        {"provider", "commit to traces (optionally adversarial), serve them and answer moves",
         "tao provider capture --model M.pt --random-input SEED --out T.taotrace [--mode MODE]\n"
         "            [--op N] [--factor F] [--swap-with OTHER.pt]\n"
         "tao provider serve --trace T.taotrace --job ID --coordinator ADDR --keystore K.json\n"
         "            [--passphrase-file F] [--network NAME] [--rpc URL] [--chain-id N]\n"
         "            [--host H] [--port P] [--cert C.pem --key K.pem] [--insecure] [--rate R]\n"
         "            [--max-bond ETH] [--poll-ms MS] [--once]\n"
         "  networks: devnet (default, 31337), holesky, hoodi, sepolia; --rpc URL alone needs\n"
         "  --chain-id N. Plain HTTP on a public network needs --insecure. Every chain command\n"
         "  takes [--confirmations N] [--replace-after S] [--max-fee-gwei G] (public networks:\n"
         "  2 blocks, 60 s, 4x the first fee).",
         runProvider},
        {"challenge", "check a posted job via the provider's API; dispute it down to the bad op",
         "tao challenge --job ID --model M.pt --provider-api URL --coordinator ADDR\n"
         "              --keystore K.json [--passphrase-file F] [--network NAME] [--rpc URL]\n"
         "              [--chain-id N] [--ca-file CA.pem] [--insecure] [--max-bond ETH]\n"
         "              [--profile P.json] [--scan auto|output|ops]\n"
         "              [--fault-log F.jsonl] [--dispute-op N] [--check-only]\n"
         "              [--devnet-time] [--poll-ms MS]",
         runChallenge, true},
        {"committee", "vote on revealed leaves by recomputing the op",
         "tao committee serve --model M.pt --provider-api URL --coordinator ADDR --keystore "
         "K.json\n"
         "              [--passphrase-file F] [--network NAME] [--rpc URL] [--chain-id N]\n"
         "              [--ca-file CA.pem] [--insecure] [--max-bond ETH] [--job ID] [--once]\n"
         "              [--profile P.json]",
         runCommittee, true},
        {"demo", "headless end-to-end demo on a local devnet (honest and tampered job)",
         "tao demo [--model M.pt] [--k K] [--mode MODE] [--op N] [--profile P.json]\n"
         "         [--swap-with OTHER.pt] [--summary OUT.json]",
         runDemo},
        {"demo-files",
         "make the GUI demo's files (honest and tampered traces, a profile); prints JSON",
         "tao demo-files --out DIR [--model M.pt]", runDemoFiles},
        {"demo-network",
         "a live devnet with a cheating provider and a committee, for the GUI's dispute demo",
         "tao demo-network --out DIR [--model M.pt] [--k K] [--poll-ms MS]", runDemoNetwork},
        {"eval", "the evaluation: false positives, attacks, the threshold-aware adversary; JSON",
         "tao eval [--out eval.json] [--quick] [--root REPO] [--work DIR]", runEval, true},
    };
    return list;
}

} // namespace tao::cli
