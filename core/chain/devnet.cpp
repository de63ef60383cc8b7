#include "core/chain/devnet.hpp"

#include "core/chain/child_process.hpp"
#include "core/chain/transaction_sender.hpp"
#include "core/io/atomic_file.hpp"

#include <arpa/inet.h>
#include <cstdlib>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace tao::chain {

using io::readWholeFile;
using io::writeFileAtomically;

namespace {
// Asks the kernel for a free loopback port. Another process could take it before anvil
// binds; the caller retries with a new port when that happens.
std::uint16_t freeLoopbackPort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw DevnetError("devnet: cannot create a socket to find a free port");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw DevnetError("devnet: cannot bind a loopback socket to find a free port");
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

bool isExecutable(const std::filesystem::path& p) {
    return !p.empty() && ::access(p.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(p);
}
} // namespace

std::filesystem::path Devnet::findAnvil() {
    if (const char* env = std::getenv("TAO_ANVIL"); env && isExecutable(env)) return env;
    // The checkout this program was built from (scripts/setup installs Foundry there),
    // unless TAO_SOURCE_DIR points elsewhere.
    const char* src = std::getenv("TAO_SOURCE_DIR");
    for (std::filesystem::path root :
         {std::filesystem::path(src ? src : ""), std::filesystem::path(TAO_SOURCE_DIR)}) {
        auto p = root / "contracts/node_modules/.bin/anvil";
        if (!root.empty() && isExecutable(p)) return std::filesystem::canonical(p);
    }
    if (const char* path = std::getenv("PATH")) {
        std::string_view rest(path);
        while (!rest.empty()) {
            auto colon = rest.find(':');
            auto dir = rest.substr(0, colon);
            auto p = std::filesystem::path(dir) / "anvil";
            if (isExecutable(p)) return p;
            if (colon == std::string_view::npos) break;
            rest.remove_prefix(colon + 1);
        }
    }
    throw DevnetError("devnet: anvil not found (set TAO_ANVIL, or run the setup script, which "
                      "installs Foundry into contracts/node_modules with npm ci)");
}

Devnet::Devnet(DevnetOptions options)
    : options_(std::move(options)) {
    if (options_.anvilPath.empty()) options_.anvilPath = findAnvil();
    if (!isExecutable(options_.anvilPath))
        throw DevnetError("devnet: '" + options_.anvilPath.string() + "' is not an executable");
    std::string tmpl = (std::filesystem::temp_directory_path() / "tao-devnet-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw DevnetError("devnet: cannot create a temporary directory");
    workDir_ = tmpl;
    try {
        for (int attempt = 0; attempt < 3; ++attempt)
            if (tryStart(freeLoopbackPort())) return;
        throw DevnetError("devnet: anvil could not bind a free port in 3 attempts; log: " +
                          logTail());
    } catch (...) {
        stop();
        throw;
    }
}

Devnet::~Devnet() {
    stop();
}

bool Devnet::tryStart(std::uint16_t port) {
    const auto configOut = workDir_ / "anvil-config.json";
    std::vector<std::string> argv = {options_.anvilPath.string(),
                                     "--host",
                                     "127.0.0.1",
                                     "--port",
                                     std::to_string(port),
                                     "--chain-id",
                                     std::to_string(options_.chainId),
                                     "--accounts",
                                     std::to_string(options_.accounts),
                                     "--balance",
                                     std::to_string(options_.balanceEther),
                                     "--config-out",
                                     configOut.string()};
    if (options_.persistState) {
        argv.push_back("--state");
        argv.push_back((workDir_ / "state.json").string());
    }
    if (options_.blockTimeSeconds) {
        argv.push_back("--block-time");
        argv.push_back(std::to_string(*options_.blockTimeSeconds));
    }
    try {
        process_ = std::make_unique<ChildProcess>(argv, workDir_ / "anvil.log");
    } catch (const std::runtime_error& e) {
        throw DevnetError(std::string("devnet: ") + e.what());
    }
    port_ = port;
    rpcUrl_ = "http://127.0.0.1:" + std::to_string(port);
    RpcOptions quick;
    quick.connectTimeout = std::chrono::milliseconds(500);
    quick.readTimeout = std::chrono::milliseconds(2000);
    quick.maxRetries = 0;
    auto probe = std::make_unique<EthClient>(rpcUrl_, quick);

    const auto deadline = std::chrono::steady_clock::now() + options_.startTimeout;
    for (;;) {
        if (!process_->running()) {
            std::string log = logTail();
            process_.reset();
            if (log.find("in use") != std::string::npos) return false; // port taken: retry
            throw DevnetError("devnet: anvil exited during start-up; log: " + log);
        }
        try {
            std::uint64_t id = probe->chainId();
            if (id != options_.chainId)
                throw DevnetError("devnet: anvil answers chain id " + std::to_string(id) +
                                  ", expected " + std::to_string(options_.chainId));
            break;
        } catch (const RpcTransportError&) {
            if (std::chrono::steady_clock::now() >= deadline)
                throw DevnetError("devnet: anvil did not answer on " + rpcUrl_ + " within " +
                                  std::to_string(options_.startTimeout.count()) +
                                  " ms; log: " + logTail());
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    if (!client_) client_ = std::make_unique<EthClient>(rpcUrl_);

    // anvil writes its accounts to --config-out around the time it starts listening, not
    // necessarily before: wait for a complete file.
    for (;;) {
        try {
            auto config = nlohmann::json::parse(readWholeFile(configOut));
            for (const auto& k : config.at("private_keys"))
                keys_.push_back(PrivateKey::fromHex(k.get<std::string>()));
            return true;
        } catch (const std::exception& e) {
            keys_.clear();
            if (std::chrono::steady_clock::now() >= deadline)
                throw DevnetError("devnet: cannot read anvil's account list from " +
                                  configOut.string() + " (" + e.what() + ")");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
}

Address Devnet::devAddress(std::size_t index) const {
    if (index >= keys_.size())
        throw std::out_of_range("devnet: dev account " + std::to_string(index) +
                                " does not exist (" + std::to_string(keys_.size()) + " accounts)");
    return keys_[index].address();
}

void Devnet::fund(const Address& account, const Uint256& wei) {
    client_->setBalance(account, wei);
}

Address Devnet::deploy(const commit::Bytes& bytecode, const commit::Bytes& constructorArgs,
                       std::size_t deployer) {
    if (deployer >= keys_.size())
        throw std::out_of_range("devnet: dev account " + std::to_string(deployer) +
                                " does not exist");
    TransactionSender sender(*client_, keys_[deployer], options_.chainId);
    return sender.deploy(bytecode, constructorArgs);
}

void Devnet::restart(std::chrono::milliseconds downtime) {
    if (!process_) throw DevnetError("devnet: restart of a stopped devnet");
    process_->stop();
    process_.reset();
    std::this_thread::sleep_for(downtime);
    keys_.clear();
    if (!tryStart(port_))
        throw DevnetError("devnet: port " + std::to_string(port_) +
                          " was taken while anvil restarted; log: " + logTail());
}

bool Devnet::running() const {
    return process_ && process_->running();
}

void Devnet::stop() {
    client_.reset();
    if (process_) {
        process_->stop();
        process_.reset();
    }
    if (!workDir_.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(workDir_, ec);
        workDir_.clear();
    }
}

std::string Devnet::logTail(std::size_t maxBytes) const {
    if (workDir_.empty()) return "(no log)";
    try {
        std::string log = readWholeFile(workDir_ / "anvil.log");
        return log.size() > maxBytes ? "..." + log.substr(log.size() - maxBytes) : log;
    } catch (const std::exception&) {
        return "(no log)";
    }
}

commit::Bytes forgeArtifactBytecode(const std::filesystem::path& artifact) {
    const std::string where = "forge artifact '" + artifact.string() + "'";
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(readWholeFile(artifact));
    } catch (const nlohmann::json::exception&) {
        throw std::runtime_error(where + ": not valid JSON");
    }
    try {
        auto text = doc.at("bytecode").at("object").get<std::string>();
        commit::Bytes code = commit::fromHex(text, "bytecode.object");
        if (code.empty()) throw std::runtime_error("bytecode.object is empty (abstract contract?)");
        return code;
    } catch (const nlohmann::json::exception&) {
        throw std::runtime_error(where + ": no string field bytecode.object");
    } catch (const std::exception& e) {
        throw std::runtime_error(where + ": " + e.what());
    }
}

} // namespace tao::chain
