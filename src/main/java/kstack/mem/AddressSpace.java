package kstack.mem;

/**
 * What one CPU sees: the shared kernel half and the user half of the mm its CR3 selects. Linux gives
 * every process its own user mappings and shares the kernel's; so does the simulator, which is why two
 * processes can both have a stack at the same user address.
 */
public final class AddressSpace {
  private final Memory kernel;
  private final Memory user;
  private final long userTop;

  /**
   * @param user    the current mm's store, or null when no user mm is loaded
   * @param userTop first address above user space (TASK_SIZE_MAX-ish boundary of the arch)
   */
  public AddressSpace(Memory kernel, Memory user, long userTop) {
    this.kernel = kernel;
    this.user = user;
    this.userTop = userTop;
  }

  public Memory storeFor(long addr) {
    if (Long.compareUnsigned(addr, userTop) < 0) {
      if (user == null) {
        throw new MemoryFault(addr, false, null);
      }
      return user;
    }
    return kernel;
  }

  public boolean isUser(long addr) {
    return Long.compareUnsigned(addr, userTop) < 0;
  }

  public Memory kernel() {
    return kernel;
  }

  public Memory user() {
    return user;
  }

  public long read(long addr, int size) {
    return storeFor(addr).read(addr, size);
  }

  public void write(long addr, int size, long value) {
    Memory m;
    try {
      m = storeFor(addr);
    } catch (MemoryFault f) {
      throw new MemoryFault(addr, true, null);
    }
    m.write(addr, size, value);
  }

  public byte[] readBytes(long addr, int len) {
    return storeFor(addr).readBytes(addr, len);
  }

  public void writeBytes(long addr, byte[] bytes) {
    storeFor(addr).writeBytes(addr, bytes);
  }

  public boolean isMapped(long addr) {
    if (isUser(addr) && user == null) {
      return false;
    }
    return storeFor(addr).isMapped(addr);
  }

  public Region regionAt(long addr) {
    if (isUser(addr) && user == null) {
      return null;
    }
    return storeFor(addr).regionAt(addr);
  }
}
