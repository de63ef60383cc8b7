#include "app/cli/commands.hpp"

namespace tao::cli {

const std::vector<Command>& commands() {
    static const std::vector<Command> list = {
        {"capture", "run a model with the instrumented runtime and commit to its trace",
         "tao capture --model M.pt (--input X.safetensors | --random-input SEED) --out T.taotrace\n"
         "            [--light] [--threads N] [--no-onednn]",
         runCapture},
        {"inspect", "show a trace bundle: model, runtime, root and the operator table",
         "tao inspect T.taotrace [--verify] [--json] [--limit N]", runInspect},
        {"replay", "re-execute operators on the trace's committed inputs and report the error",
         "tao replay --model M.pt --trace T.taotrace [--op N | --from A --to B] [--segment]\n"
         "           [--threads N] [--no-onednn] [--json]",
         runReplay},
    };
    return list;
}

} // namespace tao::cli
