namespace ChatApp.Data;

/// <summary>
/// A file attached to a message. The bytes live outside wwwroot under <see cref="StoredName"/>, a random name;
/// the content type is the one ChatApp determined from the allow-list, never the browser's claim.
/// </summary>
public sealed class Attachment
{
    public const int FileNameMaxLength = 255;

    public Guid Id { get; set; }

    /// <summary>Null while uploaded but not yet sent with a message.</summary>
    public long? MessageId { get; set; }

    public required string UploaderId { get; set; }

    public required string FileName { get; set; }

    public required string ContentType { get; set; }

    public long Size { get; set; }

    public required string StoredName { get; set; }

    public DateTime CreatedAt { get; set; }

    public bool IsImage => ContentType.StartsWith("image/", StringComparison.Ordinal);
}
