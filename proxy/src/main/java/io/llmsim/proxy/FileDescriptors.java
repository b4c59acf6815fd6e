package io.llmsim.proxy;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The process's open file descriptors and their limit, where the JVM reports them (Unix). Each
 * connection holds one, so the limit caps the connections the server can hold.
 */
final class FileDescriptors {
  private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

  private FileDescriptors() {}

  /**
   * Open descriptors, or -1 where the platform does not say, or when counting needs a descriptor
   * itself (Linux lists {@code /proc/self/fd}) and none is left.
   */
  static long open() {
    if (!(OS instanceof UnixOperatingSystemMXBean unix)) {
      return -1;
    }
    try {
      return unix.getOpenFileDescriptorCount();
    } catch (InternalError outOfDescriptors) { // how the JDK reports the failed opendir
      return -1;
    }
  }

  /**
   * The limit (the soft {@code RLIMIT_NOFILE}, which the JVM raises to the hard limit at start),
   * or -1 where the platform does not say.
   */
  static long limit() {
    return OS instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
  }

  /** "{@code 35 open of 1048576}", "{@code limit 1048576}" or "{@code unknown}". */
  static String describe() {
    long limit = limit();
    long open = open();
    return limit < 0 ? "unknown" : open < 0 ? "limit " + limit : open + " open of " + limit;
  }
}
