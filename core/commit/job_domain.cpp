#include "core/commit/job_domain.hpp"

namespace tao::commit {

namespace {
// A uint256 ABI word (big-endian) holding a 64-bit value.
void appendWord(Bytes& buf, std::uint64_t v) {
    buf.insert(buf.end(), 24, 0);
    for (int shift = 56; shift >= 0; shift -= 8)
        buf.push_back(static_cast<std::uint8_t>(v >> shift));
}
} // namespace

Hash32 jobCommitment(const JobDomain& d, const Hash32& traceCommitment) {
    Bytes buf;
    buf.reserve(1 + 32 + 20 + 32 + 20 + 32);
    buf.push_back(0x04);
    appendWord(buf, d.chainId);
    buf.insert(buf.end(), d.coordinator.begin(), d.coordinator.end());
    appendWord(buf, d.jobId);
    buf.insert(buf.end(), d.provider.begin(), d.provider.end());
    buf.insert(buf.end(), traceCommitment.bytes.begin(), traceCommitment.bytes.end());
    return keccak256(ByteSpan(buf));
}

} // namespace tao::commit
