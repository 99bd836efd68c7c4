using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using ChatApp.Data;
using Microsoft.Data.Sqlite;

namespace ChatApp.Operations;

/// <summary>What a backup holds, written first into the archive as manifest.json.</summary>
public sealed record BackupManifest(int Format, DateTimeOffset CreatedAt, long DatabaseBytes, int Attachments, long AttachmentBytes, string? CertificateFile)
{
    public const int CurrentFormat = 1;
}

public sealed record RestoreResult(DateTimeOffset CreatedAt, int Attachments, IReadOnlyList<string> Notes);

/// <summary>
/// One tar.gz with a consistent copy of the SQLite database (the key ring is in it: DataProtectionKeys), the
/// attachments folder and the key ring's certificate when one is configured. Made while the app runs.
/// </summary>
public static class BackupArchive
{
    private const string ManifestEntry = "manifest.json";
    private const string DatabaseEntry = "chat.db";
    private const string AttachmentsPrefix = "attachments/";
    private const string CertificatePrefix = "certificate/";

    // Owner read/write only: the archive holds every message and, unencrypted unless a certificate is set, the key ring.
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static async Task<BackupManifest> CreateAsync(BackupPaths paths, string archivePath, CancellationToken cancellationToken = default)
    {
        if (paths.Provider != DatabaseProvider.Sqlite)
        {
            throw new BackupRefusedException("With PostgreSQL, back up the database with pg_dump and the attachments folder with it (docs/deploy.md, \"Backups\").");
        }
        if (!File.Exists(paths.DatabaseFile))
        {
            throw new BackupRefusedException($"There is no database at {paths.DatabaseFile}: check ConnectionStrings:DefaultConnection.");
        }
        var work = Directory.CreateTempSubdirectory("chatapp-backup-").FullName;
        try
        {
            // The database first: every attachment a stored message names was written before its message, so it is in the copy below.
            var snapshot = Path.Combine(work, DatabaseEntry);
            await SnapshotAsync(paths.DatabaseFile, snapshot, cancellationToken);
            var files = Directory.Exists(paths.AttachmentsDirectory)
                ? new DirectoryInfo(paths.AttachmentsDirectory).EnumerateFiles().Where(f => !f.Name.StartsWith(".health-", StringComparison.Ordinal)).ToList()
                : [];
            var certificate = paths.CertificatePath is { } path && File.Exists(path) ? new FileInfo(path) : null;
            var manifest = new BackupManifest(BackupManifest.CurrentFormat, DateTimeOffset.UtcNow, new FileInfo(snapshot).Length,
                files.Count, files.Sum(f => f.Length), certificate?.Name);

            var partial = archivePath + ".partial";
            await using (var output = new FileStream(partial, PrivateFileOptions()))
            await using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, ManifestEntry) { DataStream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest)) };
                await tar.WriteEntryAsync(entry, cancellationToken);
                await tar.WriteEntryAsync(snapshot, DatabaseEntry, cancellationToken);
                foreach (var file in files)
                {
                    try
                    {
                        await tar.WriteEntryAsync(file.FullName, AttachmentsPrefix + file.Name, cancellationToken);
                    }
                    catch (FileNotFoundException)
                    {
                        // Deleted since it was listed (a message deleted, an orphan swept): not in the database copy either.
                    }
                }
                if (certificate is not null)
                {
                    await tar.WriteEntryAsync(certificate.FullName, CertificatePrefix + certificate.Name, cancellationToken);
                }
            }
            File.Move(partial, archivePath, overwrite: true);
            return manifest;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Into a stopped instance: refuses to replace an existing database or attachments unless <paramref name="force"/>.</summary>
    public static async Task<RestoreResult> RestoreAsync(BackupPaths paths, string archivePath, bool force, CancellationToken cancellationToken = default)
    {
        if (paths.Provider != DatabaseProvider.Sqlite)
        {
            throw new BackupRefusedException("With PostgreSQL, restore the database with pg_restore and copy the attachments folder back (docs/deploy.md, \"Backups\").");
        }
        var hasData = File.Exists(paths.DatabaseFile) && new FileInfo(paths.DatabaseFile).Length > 0
            || Directory.Exists(paths.AttachmentsDirectory) && Directory.EnumerateFiles(paths.AttachmentsDirectory).Any();
        if (hasData && !force)
        {
            throw new BackupRefusedException($"{paths.DatabaseFile} or {paths.AttachmentsDirectory} already holds data. Stop ChatApp, then run restore again with --force to replace it.");
        }
        var databaseDirectory = Path.GetDirectoryName(paths.DatabaseFile)!;
        Directory.CreateDirectory(databaseDirectory);
        // Unpacked beside the target (same file system), so the swap below is a rename.
        var work = Directory.CreateDirectory(Path.Combine(databaseDirectory, $".restore-{Guid.NewGuid():N}")).FullName;
        try
        {
            var manifest = await UnpackAsync(archivePath, work, cancellationToken);
            var notes = new List<string>();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(paths.DatabaseFile + suffix);
            }
            File.Move(Path.Combine(work, DatabaseEntry), paths.DatabaseFile);
            if (Directory.Exists(paths.AttachmentsDirectory))
            {
                Directory.Delete(paths.AttachmentsDirectory, recursive: true);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(paths.AttachmentsDirectory)!);
            Directory.Move(Path.Combine(work, "attachments"), paths.AttachmentsDirectory);
            if (manifest.CertificateFile is { } certificateName)
            {
                var unpacked = Path.Combine(work, "certificate", certificateName);
                var target = paths.CertificatePath ?? Path.Combine(databaseDirectory, certificateName);
                if (!File.Exists(target) || force)
                {
                    File.Move(unpacked, target, overwrite: true);
                }
                if (paths.CertificatePath is null)
                {
                    notes.Add($"The key ring certificate was restored to {target}: set Chat:DataProtection:CertificatePath to it (and CertificatePassword), or the keys cannot be read.");
                }
            }
            return new RestoreResult(manifest.CreatedAt, manifest.Attachments, notes);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static FileStreamOptions PrivateFileOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }
        return options;
    }

    /// <summary>SQLite's VACUUM INTO: one read transaction, so a consistent copy while writers go on (WAL), and compacted.</summary>
    private static async Task SnapshotAsync(string database, string snapshot, CancellationToken cancellationToken)
    {
        var source = new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 60 }.ToString();
        await using var connection = new SqliteConnection(source);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO @target";
        command.Parameters.AddWithValue("@target", snapshot);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<BackupManifest> UnpackAsync(string archivePath, string work, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(work, "attachments"));
        Directory.CreateDirectory(Path.Combine(work, "certificate"));
        BackupManifest? manifest = null;
        await using var input = File.OpenRead(archivePath);
        await using var gzip = new GZipStream(input, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            // Only the names a backup writes, each flattened to a file name: nothing in an archive can point outside the folder.
            var target = entry.Name switch
            {
                ManifestEntry or DatabaseEntry => Path.Combine(work, entry.Name),
                var name when name.StartsWith(AttachmentsPrefix, StringComparison.Ordinal) => Path.Combine(work, "attachments", Path.GetFileName(name)),
                var name when name.StartsWith(CertificatePrefix, StringComparison.Ordinal) => Path.Combine(work, "certificate", Path.GetFileName(name)),
                _ => null,
            };
            if (target is null || entry.EntryType != TarEntryType.RegularFile || Path.GetFileName(target).Length == 0)
            {
                continue;
            }
            await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken);
            if (entry.Name == ManifestEntry)
            {
                manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllBytesAsync(target, cancellationToken));
            }
        }
        if (manifest is not { Format: BackupManifest.CurrentFormat } || !File.Exists(Path.Combine(work, DatabaseEntry)))
        {
            throw new InvalidDataException($"{archivePath} is not a ChatApp backup (no manifest or no database in it).");
        }
        return manifest;
    }
}
