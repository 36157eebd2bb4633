# Sourced by bench/perf and bench/engines: sets the array peer_env, the environment the PyTorch peer runs in.
# Our engine fixes glibc's malloc thresholds for itself (engine.NativeMemory: freed blocks stay with the
# process instead of going back to the kernel and faulting in again, zeroed, on the next use). The peer gets
# the same settings through glibc's environment variables, so the comparison is of the same allocator
# behaviour; PEER_MALLOC=default leaves the peer on glibc's defaults (as a plain `python` run would be).
# Large tensors (a batch of 256, a training step) are where the two differ; batch 1 fits under the defaults.
peer_env=()
case "${PEER_MALLOC:-same}" in
  same) peer_env=(MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TOP_PAD_=67108864) ;;
  default) ;;
  *) echo "PEER_MALLOC must be same or default, got $PEER_MALLOC" >&2; exit 2 ;;
esac
