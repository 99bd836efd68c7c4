using System.Diagnostics;

namespace ChatApp.Operations;

/// <summary>
/// <c>dotnet ChatApp.dll backup --to FILE</c> and <c>restore --from FILE [--force]</c>: run instead of the web app,
/// with the app's own configuration (appsettings, environment, command line), so they find the same files.
/// </summary>
public static class OperationsCommands
{
    public static bool IsCommand(string[] args) => args is ["backup" or "restore", ..];

    /// <returns>The process exit code: 0 done, 1 failed, 2 wrong use (refused).</returns>
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, IHostEnvironment environment)
    {
        var paths = BackupPaths.From(configuration, environment);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            switch (args)
            {
                case ["backup", "--to", var file, ..]:
                    var made = await BackupArchive.CreateAsync(paths, file);
                    Console.WriteLine($"Backed up {made.DatabaseBytes:N0} bytes of database, {made.Attachments} attachments ({made.AttachmentBytes:N0} bytes){(made.CertificateFile is not null ? " and the key ring certificate" : "")} to {Path.GetFullPath(file)} ({new FileInfo(file).Length:N0} bytes) in {stopwatch.Elapsed.TotalSeconds:N1} s.");
                    return 0;
                case ["restore", "--from", var file, .. var rest]:
                    var restored = await BackupArchive.RestoreAsync(paths, file, force: rest.Contains("--force"));
                    Console.WriteLine($"Restored the backup of {restored.CreatedAt:u} ({restored.Attachments} attachments) into {paths.DatabaseFile} and {paths.AttachmentsDirectory} in {stopwatch.Elapsed.TotalSeconds:N1} s. Start ChatApp now.");
                    foreach (var note in restored.Notes)
                    {
                        Console.WriteLine(note);
                    }
                    return 0;
                default:
                    Console.Error.WriteLine("Usage: ChatApp backup --to FILE.tar.gz | ChatApp restore --from FILE.tar.gz [--force]  (settings as for the app, e.g. --ConnectionStrings:DefaultConnection=…)");
                    return 2;
            }
        }
        catch (BackupRefusedException refused)
        {
            Console.Error.WriteLine(refused.Message);
            return 2;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException or InvalidDataException)
        {
            Console.Error.WriteLine($"{args[0]} failed: {exception.Message}");
            return 1;
        }
    }
}

/// <summary>A backup or restore the operator has to decide about (overwrite, wrong provider); exit code 2.</summary>
public sealed class BackupRefusedException(string message) : Exception(message);
