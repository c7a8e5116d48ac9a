package org.camelinterimap.support;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Files and directories that only their owner may read: the database, the statefile and the
 * logfile are created 0600 and the directories made for them 0700, as interimap(1) and
 * pullimap(1) do. The mode is set explicitly after creation, since the umask may take bits away
 * from the one asked for at creation. Files and directories that already exist are left as they are.
 *
 * <p>On a file system without POSIX permissions the files and directories are created plainly.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Creates {@code dir} and its missing parents, each one created here with mode 0700. */
    public static void createDirectories(Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path d = dir.toAbsolutePath(); d != null && !Files.isDirectory(d); d = d.getParent()) {
            missing.push(d);
        }
        for (Path d : missing) {
            try {
                if (posix(d)) {
                    Files.createDirectory(d, PosixFilePermissions.asFileAttribute(DIR_MODE));
                    restrict(d, DIR_MODE);
                } else {
                    Files.createDirectory(d);
                }
            } catch (FileAlreadyExistsException e) {
                // made meanwhile by someone else: theirs, mode included; a file there is an error
                if (!Files.isDirectory(d)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Creates {@code file} empty with mode 0600 unless it exists (its directory must exist).
     *
     * @return whether the file was created here
     */
    public static boolean createFile(Path file) throws IOException {
        try {
            if (posix(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
                restrict(file, FILE_MODE);
            } else {
                Files.createFile(file);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * Sets the mode of a file just created with {@code mode} minus the umask's bits. Best effort:
     * where the file system refuses (vfat, say) the mode stays no wider than {@code mode}.
     */
    private static void restrict(Path path, Set<PosixFilePermission> mode) {
        try {
            Files.setPosixFilePermissions(path, mode);
        } catch (IOException e) {
            // still at most mode: the umask only takes bits away
        }
    }
}
