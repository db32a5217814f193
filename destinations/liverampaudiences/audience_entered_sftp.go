package liverampaudiences

import (
	"context"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/filekit"
	"github.com/valyala/fastjson"
)

// sftpServer is LiveRamp's SFTP server; tests point it at their own.
var sftpServer = "files.liveramp.com:22"

// sftpHostKey checks the server's key; nil accepts any (see the package doc). Tests pin
// their server's.
var sftpHostKey filekit.HostKeyCallback

// AudienceEnteredSFTP uploads each batch as a file to LiveRamp's SFTP server.
var AudienceEnteredSFTP = &destkit.Action{
	Key:                 "audienceEnteredSFTP",
	Title:               "Audience Entered (SFTP)",
	Description:         "Upload audience membership data as a file to LiveRamp's SFTP server.",
	DefaultSubscription: `event = "Audience Entered"`,
	Fields: []destkit.Field{
		{Key: "sftp_username", Label: "Username", Type: destkit.String,
			Description: "User name of the LiveRamp SFTP account."},
		{Key: "sftp_password", Label: "Password", Type: destkit.Password, Secret: true,
			Description: "Password of the LiveRamp SFTP account."},
		{Key: "sftp_folder_path", Label: "Folder Path", Type: destkit.String, Format: "uri-reference",
			Default:     `{"@template":"/uploads/"}`,
			Description: "Folder on LiveRamp's server the files go to; it must exist."},
		audienceKeyField,
		identifierDataField,
		unhashedIdentifierDataField,
		delimiterField,
		{Key: "filename", Label: "Filename", Type: destkit.String, Required: true,
			Default:     `{"@template":"{{properties.audience_key}}_PII.csv"}`,
			Description: "Name of the file; its digest is added before the extension. Give each subscription its own."},
		enableBatchingField,
		batchSizeField,
	},
	Batch: &destkit.Batch{MaxSize: maxRows, Keys: []string{"sftp_username", "sftp_folder_path", "filename", "delimiter"}},
	Run: func(ctx context.Context, _ destkit.Doer, in *destkit.Input) error {
		return uploadFile(ctx, &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings})
	},
	RunBatch: func(ctx context.Context, _ destkit.Doer, in *destkit.BatchInput) []error {
		errs := make([]error, len(in.Payloads))
		if err := uploadFile(ctx, in); err != nil {
			for i := range errs {
				errs[i] = err
			}
		}
		return errs
	},
}

// uploadFile builds the file of a batch and uploads it.
func uploadFile(ctx context.Context, in *destkit.BatchInput) error {
	if err := checkRows(len(in.Payloads)); err != nil {
		return err
	}
	first := in.Payloads[0]
	str := func(k string) string { return string(first.GetStringBytes(k)) }
	for _, f := range []string{"sftp_username", "sftp_password", "sftp_folder_path"} {
		if str(f) == "" {
			return destkit.ValidationErrorf(f, "SFTP uploads need %s", f)
		}
	}
	name := str("filename")
	if strings.ContainsAny(name, "/\x00") {
		return destkit.ValidationErrorf("filename", "%q is not a file name: the folder goes in sftp_folder_path", name)
	}
	content, err := file(in)
	if err != nil {
		return err
	}
	server := &filekit.SFTP{Addr: sftpServer, User: str("sftp_username"), Password: str("sftp_password"),
		HostKey: sftpHostKey, FolderField: "sftp_folder_path"}
	return server.Upload(ctx, str("sftp_folder_path"), filekit.Name(name, content), content)
}
