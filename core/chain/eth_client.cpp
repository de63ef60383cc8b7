#include "core/chain/eth_client.hpp"

#include "core/chain/chain_errors.hpp"

namespace tao::chain {

using nlohmann::json;

namespace {
[[noreturn]] void malformed(const std::string& method, const std::string& field,
                            const std::string& why) {
    throw MalformedResponseError(method + ": field '" + field + "' " + why);
}

const json& member(const json& v, const std::string& key, const std::string& method) {
    if (!v.is_object() || !v.contains(key)) malformed(method, key, "is missing");
    return v[key];
}

std::string stringOf(const json& v, const std::string& method, const std::string& field) {
    if (!v.is_string()) malformed(method, field, "is not a string");
    return v.get<std::string>();
}

commit::Bytes parseData(const json& v, const std::string& method, const std::string& field) {
    try {
        return commit::fromHex(stringOf(v, method, field), field);
    } catch (const std::invalid_argument& e) {
        malformed(method, field, std::string("is not hex data (") + e.what() + ")");
    }
}

commit::Hash32 parseHash(const json& v, const std::string& method, const std::string& field) {
    try {
        return commit::Hash32::fromHex(stringOf(v, method, field), field);
    } catch (const std::invalid_argument& e) {
        malformed(method, field, std::string("is not a 32-byte hash (") + e.what() + ")");
    }
}

Address parseAddress(const json& v, const std::string& method, const std::string& field) {
    try {
        return Address::fromHex(stringOf(v, method, field), field);
    } catch (const std::invalid_argument& e) {
        malformed(method, field, std::string("is not an address (") + e.what() + ")");
    }
}

std::string blockTag(const std::optional<std::uint64_t>& n, const char* fallback) {
    return n ? Uint256(*n).toHex() : std::string(fallback);
}
} // namespace

std::uint64_t parseQuantityU64(const json& v, const std::string& method, const std::string& field) {
    Uint256 q = parseQuantity(v, method, field);
    if (!q.fitsU64()) malformed(method, field, "does not fit in 64 bits");
    return q.toU64();
}

Uint256 parseQuantity(const json& v, const std::string& method, const std::string& field) {
    std::string s = stringOf(v, method, field);
    if (!s.starts_with("0x")) malformed(method, field, "is not a 0x-prefixed quantity");
    try {
        return Uint256::fromHex(s, field);
    } catch (const std::invalid_argument& e) {
        malformed(method, field, std::string("is not a quantity (") + e.what() + ")");
    }
}

Log parseLog(const json& v, const std::string& method) {
    Log log;
    log.address = parseAddress(member(v, "address", method), method, "log.address");
    const json& topics = member(v, "topics", method);
    if (!topics.is_array()) malformed(method, "log.topics", "is not an array");
    for (const auto& t : topics)
        log.topics.push_back(parseHash(t, method, "log.topics[]"));
    log.data = parseData(member(v, "data", method), method, "log.data");
    if (v.contains("blockNumber") && !v["blockNumber"].is_null())
        log.blockNumber = parseQuantityU64(v["blockNumber"], method, "log.blockNumber");
    if (v.contains("transactionHash") && !v["transactionHash"].is_null())
        log.transactionHash = parseHash(v["transactionHash"], method, "log.transactionHash");
    if (v.contains("logIndex") && !v["logIndex"].is_null())
        log.logIndex = parseQuantityU64(v["logIndex"], method, "log.logIndex");
    log.removed = v.value("removed", false);
    return log;
}

Receipt parseReceipt(const json& v, const std::string& method) {
    if (!v.is_object()) throw MalformedResponseError(method + ": receipt is not an object");
    Receipt r;
    r.transactionHash = parseHash(member(v, "transactionHash", method), method, "transactionHash");
    r.blockNumber = parseQuantityU64(member(v, "blockNumber", method), method, "blockNumber");
    r.blockHash = parseHash(member(v, "blockHash", method), method, "blockHash");
    r.success = parseQuantityU64(member(v, "status", method), method, "status") == 1;
    r.gasUsed = parseQuantityU64(member(v, "gasUsed", method), method, "gasUsed");
    if (v.contains("effectiveGasPrice") && !v["effectiveGasPrice"].is_null())
        r.effectiveGasPrice = parseQuantity(v["effectiveGasPrice"], method, "effectiveGasPrice");
    if (v.contains("contractAddress") && !v["contractAddress"].is_null())
        r.contractAddress = parseAddress(v["contractAddress"], method, "contractAddress");
    r.from = parseAddress(member(v, "from", method), method, "from");
    if (v.contains("to") && !v["to"].is_null()) r.to = parseAddress(v["to"], method, "to");
    const json& logs = member(v, "logs", method);
    if (!logs.is_array()) malformed(method, "logs", "is not an array");
    for (const auto& l : logs)
        r.logs.push_back(parseLog(l, method));
    return r;
}

json toJson(const CallRequest& request) {
    json o = json::object();
    if (request.from) o["from"] = request.from->hex();
    if (request.to) o["to"] = request.to->hex();
    if (!request.value.isZero()) o["value"] = request.value.toHex();
    o["input"] = commit::toHex(request.data);
    if (request.gas) o["gas"] = Uint256(*request.gas).toHex();
    return o;
}

EthClient::EthClient(std::string url, RpcOptions options)
    : rpc_(std::make_shared<RpcClient>(std::move(url), options)) {}

EthClient::EthClient(std::shared_ptr<RpcClient> rpc)
    : rpc_(std::move(rpc)) {}

std::uint64_t EthClient::chainId() {
    return parseQuantityU64(rpc_->call("eth_chainId"), "eth_chainId", "result");
}

std::uint64_t EthClient::blockNumber() {
    return parseQuantityU64(rpc_->call("eth_blockNumber"), "eth_blockNumber", "result");
}

Uint256 EthClient::balance(const Address& account) {
    return parseQuantity(rpc_->call("eth_getBalance", {account.hex(), "latest"}), "eth_getBalance",
                         "result");
}

std::uint64_t EthClient::pendingNonce(const Address& account) {
    return parseQuantityU64(rpc_->call("eth_getTransactionCount", {account.hex(), "pending"}),
                            "eth_getTransactionCount", "result");
}

commit::Bytes EthClient::code(const Address& account) {
    return parseData(rpc_->call("eth_getCode", {account.hex(), "latest"}), "eth_getCode", "result");
}

Uint256 EthClient::gasPrice() {
    return parseQuantity(rpc_->call("eth_gasPrice"), "eth_gasPrice", "result");
}

Uint256 EthClient::maxPriorityFeePerGas() {
    return parseQuantity(rpc_->call("eth_maxPriorityFeePerGas"), "eth_maxPriorityFeePerGas",
                         "result");
}

std::optional<Uint256> EthClient::latestBaseFee() {
    const std::string method = "eth_getBlockByNumber";
    json block = rpc_->call(method, {"latest", false});
    if (!block.is_object())
        throw MalformedResponseError(method + ": latest block is not an object");
    if (!block.contains("baseFeePerGas") || block["baseFeePerGas"].is_null()) return std::nullopt;
    return parseQuantity(block["baseFeePerGas"], method, "baseFeePerGas");
}

FeeSuggestion EthClient::suggestFees() {
    FeeSuggestion f;
    auto base = latestBaseFee();
    if (!base)
        throw ChainError("fee suggestion: the node's latest block has no base fee (no EIP-1559)");
    f.baseFeePerGas = *base;
    try {
        f.maxPriorityFeePerGas = maxPriorityFeePerGas();
    } catch (const RpcError&) {
        f.maxPriorityFeePerGas = Uint256(1'000'000'000); // method not offered: 1 gwei
    }
    f.maxFeePerGas = f.baseFeePerGas * Uint256(2) + f.maxPriorityFeePerGas;
    return f;
}

std::uint64_t EthClient::estimateGas(const CallRequest& request) {
    return parseQuantityU64(rpc_->call("eth_estimateGas", {toJson(request)}), "eth_estimateGas",
                            "result");
}

commit::Bytes EthClient::call(const CallRequest& request, const std::string& block) {
    return parseData(rpc_->call("eth_call", {toJson(request), block}), "eth_call", "result");
}

commit::Hash32 EthClient::sendRawTransaction(commit::ByteSpan raw) {
    return parseHash(rpc_->call("eth_sendRawTransaction", {commit::toHex(raw)}),
                     "eth_sendRawTransaction", "result");
}

std::optional<Receipt> EthClient::transactionReceipt(const commit::Hash32& hash) {
    json r = rpc_->call("eth_getTransactionReceipt", {hash.hex()});
    if (r.is_null()) return std::nullopt;
    return parseReceipt(r, "eth_getTransactionReceipt");
}

bool EthClient::knowsTransaction(const commit::Hash32& hash) {
    return !rpc_->call("eth_getTransactionByHash", {hash.hex()}).is_null();
}

std::vector<Log> EthClient::logs(const LogFilter& filter) {
    json f = json::object();
    f["fromBlock"] = blockTag(filter.fromBlock, "earliest");
    f["toBlock"] = blockTag(filter.toBlock, "latest");
    if (!filter.addresses.empty()) {
        json a = json::array();
        for (const auto& addr : filter.addresses)
            a.push_back(addr.hex());
        f["address"] = a;
    }
    if (!filter.topics.empty()) {
        json t = json::array();
        for (const auto& alternatives : filter.topics) {
            if (alternatives.empty()) {
                t.push_back(nullptr);
                continue;
            }
            json alt = json::array();
            for (const auto& h : alternatives)
                alt.push_back(h.hex());
            t.push_back(alt);
        }
        f["topics"] = t;
    }
    json result = rpc_->call("eth_getLogs", {f});
    if (!result.is_array()) throw MalformedResponseError("eth_getLogs: result is not an array");
    std::vector<Log> out;
    for (const auto& l : result)
        out.push_back(parseLog(l, "eth_getLogs"));
    return out;
}

void EthClient::increaseTime(std::uint64_t seconds) {
    rpc_->call("evm_increaseTime", {Uint256(seconds).toHex()});
}

void EthClient::setNextBlockTimestamp(std::uint64_t unix) {
    rpc_->call("evm_setNextBlockTimestamp", {Uint256(unix).toHex()});
}

void EthClient::mine(std::uint64_t blocks) {
    rpc_->call("anvil_mine", {Uint256(blocks).toHex()});
}

void EthClient::setBalance(const Address& account, const Uint256& wei) {
    rpc_->call("anvil_setBalance", {account.hex(), wei.toHex()});
}

void EthClient::setAutomine(bool enabled) {
    rpc_->call("evm_setAutomine", {enabled});
}

std::string EthClient::snapshot() {
    json id = rpc_->call("evm_snapshot");
    if (!id.is_string()) throw MalformedResponseError("evm_snapshot: result is not a string");
    return id.get<std::string>();
}

bool EthClient::revertTo(const std::string& snapshotId) {
    json ok = rpc_->call("evm_revert", {snapshotId});
    if (!ok.is_boolean()) throw MalformedResponseError("evm_revert: result is not a bool");
    return ok.get<bool>();
}

void EthClient::reorg(std::uint64_t depth) {
    rpc_->call("anvil_reorg", {depth, json::array()});
}

} // namespace tao::chain
