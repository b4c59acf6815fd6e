package io.llmsim.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The {@link ExchangeStore} on disk: one RocksDB database with three column families.
 *
 * <ul>
 *   <li>{@code exchanges}: id (UTF-8) to an 8-byte big-endian sequence number followed by the
 *       {@link ExchangeCodec} bytes of the exchange;
 *   <li>{@code by-fingerprint}: fingerprint (UTF-8), a 0 byte, the 8-byte big-endian sequence
 *       number, to the id. RocksDB orders keys bytewise, so one prefix scan yields a fingerprint's
 *       takes in recording order;
 *   <li>{@code meta}: {@code format-version} (4-byte int, currently {@value #FORMAT_VERSION}) and
 *       {@code next-seq} (8-byte long).
 * </ul>
 *
 * <p>The write-ahead log is on and each put or delete is one atomic write batch, so a crash leaves
 * an exchange either fully stored and indexed or absent. By default writes are not fsynced (a
 * process crash loses nothing, a power cut may lose the last writes); {@link #open(Path, boolean)}
 * turns on a sync per write.
 *
 * <p>Every call blocks on disk: run them on a dedicated executor, never on a Netty event loop.
 * Thread-safe; a read-write lock keeps {@link #close} from freeing the native objects while
 * another thread is inside a call (which would crash the JVM rather than throw).
 */
public final class RocksDbExchangeStore implements ExchangeStore {
  /** The on-disk layout version this code writes and the only one it opens. */
  public static final int FORMAT_VERSION = 1;

  static final String CF_EXCHANGES = "exchanges";
  static final String CF_BY_FINGERPRINT = "by-fingerprint";
  static final String CF_META = "meta";
  static final byte[] KEY_FORMAT_VERSION = utf8("format-version");
  static final byte[] KEY_NEXT_SEQ = utf8("next-seq");

  private static final int PAGE = 256;

  private final Path path;
  private final RocksDB db;
  private final ColumnFamilyHandle exchanges;
  private final ColumnFamilyHandle byFingerprint;
  private final ColumnFamilyHandle meta;
  private final WriteOptions writeOptions;
  // Native objects in creation order; closed in reverse.
  private final Deque<AutoCloseable> owned;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Object writeMutex = new Object();
  private boolean closed;
  private long nextSeq;
  private long count;

  private RocksDbExchangeStore(Path path, RocksDB db, List<ColumnFamilyHandle> handles,
      WriteOptions writeOptions, Deque<AutoCloseable> owned) {
    this.path = path;
    this.db = db;
    this.exchanges = handles.get(1);
    this.byFingerprint = handles.get(2);
    this.meta = handles.get(3);
    this.writeOptions = writeOptions;
    this.owned = owned;
  }

  /** Added to the message of a store that another process has open. */
  public static final String IN_USE_HINT =
      "(is another llmsim process using this store? stop it first)";

  /** Opens (creating if needed) the store in a directory, without a sync per write. */
  public static RocksDbExchangeStore open(Path dir) {
    return open(dir, false);
  }

  /**
   * Opens (creating if needed) the store in a directory.
   *
   * @param dir the database directory
   * @param syncWrites fsync the write-ahead log on every write (survives power loss, slower)
   * @throws StoreException when the directory cannot be opened or holds another format version
   */
  public static RocksDbExchangeStore open(Path dir, boolean syncWrites) {
    Path abs = dir.toAbsolutePath();
    try {
      Files.createDirectories(abs);
    } catch (IOException ex) {
      throw new StoreException("exchange store " + abs + ": cannot create directory", ex);
    }
    return open(abs, syncWrites, false);
  }

  /**
   * Opens an existing store for reading only. RocksDB takes no lock then, so any number of
   * processes may read one store at once (as long as none writes it); writes fail.
   *
   * @throws StoreException when the directory is not a store of this format version
   */
  public static RocksDbExchangeStore openReadOnly(Path dir) {
    return open(dir.toAbsolutePath(), false, true);
  }

  private static RocksDbExchangeStore open(Path abs, boolean syncWrites, boolean readOnly) {
    RocksDB.loadLibrary();
    Deque<AutoCloseable> owned = new ArrayDeque<>();
    try {
      ColumnFamilyOptions cfOptions = push(owned, new ColumnFamilyOptions());
      DBOptions dbOptions = push(owned, new DBOptions()
          .setCreateIfMissing(!readOnly)
          .setCreateMissingColumnFamilies(!readOnly));
      WriteOptions writeOptions = push(owned, new WriteOptions().setSync(syncWrites));
      List<ColumnFamilyDescriptor> descriptors = List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
          new ColumnFamilyDescriptor(utf8(CF_EXCHANGES), cfOptions),
          new ColumnFamilyDescriptor(utf8(CF_BY_FINGERPRINT), cfOptions),
          new ColumnFamilyDescriptor(utf8(CF_META), cfOptions));
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db;
      try {
        db = readOnly ? RocksDB.openReadOnly(dbOptions, abs.toString(), descriptors, handles)
            : RocksDB.open(dbOptions, abs.toString(), descriptors, handles);
      } finally {
        // Handles exist only if open succeeded; either way they are ours to close.
        handles.forEach(owned::push);
      }
      // The database must close after its handles: push it below them.
      owned.removeAll(handles);
      owned.push(db);
      handles.forEach(owned::push);
      RocksDbExchangeStore store = new RocksDbExchangeStore(abs, db, handles, writeOptions, owned);
      store.init(readOnly);
      return store;
    } catch (RocksDBException ex) {
      closeAll(owned, abs, null);
      // RocksDB allows one process per store; the usual holder is a running llmsim.
      boolean locked = String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT).contains("lock");
      throw new StoreException("exchange store " + abs + ": cannot open: " + ex.getMessage()
          + (locked ? " " + IN_USE_HINT : ""), ex);
    } catch (RuntimeException ex) {
      closeAll(owned, abs, ex);
      throw ex;
    }
  }

  /** The absolute directory of this store. */
  public Path path() {
    return path;
  }

  private void init(boolean readOnly) throws RocksDBException {
    byte[] version = db.get(meta, KEY_FORMAT_VERSION);
    boolean empty;
    try (RocksIterator it = db.newIterator(exchanges)) {
      it.seekToFirst();
      empty = !it.isValid();
    }
    if (version == null) {
      if (!empty || readOnly) {
        throw new StoreException("exchange store " + path + ": "
            + (empty ? "" : "holds exchanges but ") + "no format-version key; refusing to open");
      }
      db.put(meta, writeOptions, KEY_FORMAT_VERSION, intBytes(FORMAT_VERSION));
    } else {
      int v = version.length == 4 ? ByteBuffer.wrap(version).getInt() : -1;
      if (v != FORMAT_VERSION) {
        throw new StoreException("exchange store " + path + ": format version " + v
            + " is not supported (this build reads " + FORMAT_VERSION + ")");
      }
    }
    byte[] seq = db.get(meta, KEY_NEXT_SEQ);
    nextSeq = seq == null ? 0 : ByteBuffer.wrap(seq).getLong();
    long n = 0;
    try (RocksIterator it = db.newIterator(exchanges)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        n++;
      }
    }
    count = n;
  }

  @Override
  public void put(RecordedExchange e) {
    if (e.fingerprint().indexOf('\0') >= 0) {
      throw new IllegalArgumentException("fingerprint contains a NUL character");
    }
    byte[] idKey = utf8(e.id());
    byte[] encoded = ExchangeCodec.encode(e);
    lock.readLock().lock();
    try {
      ensureOpen();
      synchronized (writeMutex) {
        byte[] old = db.get(exchanges, idKey);
        long seq = old != null ? ByteBuffer.wrap(old).getLong() : nextSeq;
        byte[] value = ByteBuffer.allocate(8 + encoded.length).putLong(seq).put(encoded).array();
        try (WriteBatch batch = new WriteBatch()) {
          if (old != null) {
            batch.delete(byFingerprint, indexKey(decodeValue(old, e.id()).fingerprint(), seq));
          } else {
            batch.put(meta, KEY_NEXT_SEQ, longBytes(seq + 1));
          }
          batch.put(exchanges, idKey, value);
          batch.put(byFingerprint, indexKey(e.fingerprint(), seq), idKey);
          db.write(writeOptions, batch);
        }
        if (old == null) {
          nextSeq = seq + 1;
          count++;
        }
      }
    } catch (RocksDBException ex) {
      throw failure("put", "id " + e.id(), ex);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<RecordedExchange> get(String id) {
    lock.readLock().lock();
    try {
      ensureOpen();
      byte[] v = db.get(exchanges, utf8(id));
      return v == null ? Optional.empty() : Optional.of(decodeValue(v, id));
    } catch (RocksDBException ex) {
      throw failure("get", "id " + id, ex);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<RecordedExchange> takes(String fingerprint) {
    byte[] prefix = indexPrefix(fingerprint);
    List<RecordedExchange> out = new ArrayList<>();
    lock.readLock().lock();
    try {
      ensureOpen();
      try (RocksIterator it = db.newIterator(byFingerprint)) {
        for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
          byte[] id = it.value();
          byte[] v = db.get(exchanges, id);
          // A concurrent delete may remove the record between the index read and this one.
          if (v != null) {
            out.add(decodeValue(v, new String(id, StandardCharsets.UTF_8)));
          }
        }
        it.status();
      }
      return out;
    } catch (RocksDBException ex) {
      throw failure("takes", "fingerprint " + fingerprint, ex);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Visits every exchange in id order. Reads in pages and calls the visitor without holding the
   * store's lock, so the visitor may use the store (even close it, which ends the walk).
   */
  @Override
  public void forEach(Consumer<? super RecordedExchange> visitor) {
    byte[] after = null;
    while (true) {
      List<byte[]> keys = new ArrayList<>(PAGE);
      List<byte[]> values = new ArrayList<>(PAGE);
      lock.readLock().lock();
      try {
        ensureOpen();
        try (RocksIterator it = db.newIterator(exchanges)) {
          if (after == null) {
            it.seekToFirst();
          } else {
            it.seek(after);
            if (it.isValid() && Arrays.equals(it.key(), after)) {
              it.next();
            }
          }
          for (; it.isValid() && keys.size() < PAGE; it.next()) {
            keys.add(it.key());
            values.add(it.value());
          }
          it.status();
        }
      } catch (RocksDBException ex) {
        throw failure("iterate", "after " + (after == null ? "start" : utf8(after)), ex);
      } finally {
        lock.readLock().unlock();
      }
      for (int i = 0; i < keys.size(); i++) {
        visitor.accept(decodeValue(values.get(i), utf8(keys.get(i))));
      }
      if (keys.size() < PAGE) {
        return;
      }
      after = keys.get(keys.size() - 1);
    }
  }

  @Override
  public boolean delete(String id) {
    byte[] idKey = utf8(id);
    lock.readLock().lock();
    try {
      ensureOpen();
      synchronized (writeMutex) {
        byte[] old = db.get(exchanges, idKey);
        if (old == null) {
          return false;
        }
        long seq = ByteBuffer.wrap(old).getLong();
        try (WriteBatch batch = new WriteBatch()) {
          batch.delete(exchanges, idKey);
          batch.delete(byFingerprint, indexKey(decodeValue(old, id).fingerprint(), seq));
          db.write(writeOptions, batch);
        }
        count--;
        return true;
      }
    } catch (RocksDBException ex) {
      throw failure("delete", "id " + id, ex);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long count() {
    lock.readLock().lock();
    try {
      ensureOpen();
      synchronized (writeMutex) {
        return count;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Closes the column family handles, the database and the options, in that order. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closeAll(owned, path, null);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("exchange store " + path + " is closed");
    }
  }

  private RecordedExchange decodeValue(byte[] v, String id) {
    try {
      if (v.length < 8) {
        throw new IllegalArgumentException("value shorter than its sequence number");
      }
      return ExchangeCodec.decode(Arrays.copyOfRange(v, 8, v.length));
    } catch (IllegalArgumentException ex) {
      throw new StoreException("exchange store " + path + ": cannot decode id " + id + ": "
          + ex.getMessage(), ex);
    }
  }

  private StoreException failure(String op, String key, RocksDBException ex) {
    return new StoreException("exchange store " + path + ": " + op + " failed for " + key + ": "
        + ex.getMessage(), ex);
  }

  private static void closeAll(Deque<AutoCloseable> owned, Path path, RuntimeException primary) {
    StoreException failure = null;
    while (!owned.isEmpty()) {
      AutoCloseable c = owned.pop();
      try {
        if (c instanceof RocksDB db) {
          // closeE reports a failed close (for example a failed final flush); close() hides it.
          db.closeE();
        } else {
          c.close();
        }
      } catch (Exception ex) {
        if (primary != null) {
          primary.addSuppressed(ex);
        } else if (failure == null) {
          failure = new StoreException("exchange store " + path + ": close failed", ex);
        } else {
          failure.addSuppressed(ex);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static <T extends AutoCloseable> T push(Deque<AutoCloseable> owned, T c) {
    owned.push(c);
    return c;
  }

  static byte[] indexPrefix(String fingerprint) {
    byte[] fp = utf8(fingerprint);
    return Arrays.copyOf(fp, fp.length + 1);
  }

  static byte[] indexKey(String fingerprint, long seq) {
    byte[] prefix = indexPrefix(fingerprint);
    return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(seq).array();
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] intBytes(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
