package liverampaudiences

import (
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/filekit"
	"github.com/valyala/fastjson"
)

// now is the signing clock; tests replace it.
var now = time.Now

// AudienceEnteredS3 uploads each batch as a file to the customer's S3 bucket.
var AudienceEnteredS3 = &destkit.Action{
	Key:                 "audienceEnteredS3",
	Title:               "Audience Entered (S3)",
	Description:         "Upload audience membership data as a file to S3 for LiveRamp to ingest.",
	DefaultSubscription: `event = "Audience Entered"`,
	Fields: []destkit.Field{
		{Key: "s3_aws_access_key", Label: "AWS Access Key ID", Type: destkit.String,
			Description: "Access key ID of an IAM user that may write to the bucket."},
		{Key: "s3_aws_secret_key", Label: "AWS Secret Access Key", Type: destkit.Password, Secret: true,
			Description: "Secret access key of that IAM user."},
		{Key: "s3_aws_bucket_name", Label: "AWS Bucket Name", Type: destkit.String,
			Description: "Name of the S3 bucket the files are written to."},
		{Key: "s3_aws_region", Label: "AWS Region (S3 only)", Type: destkit.String, Required: true,
			Description: "Region of the bucket (us-east-1, eu-west-1, …)."},
		audienceKeyField,
		identifierDataField,
		unhashedIdentifierDataField,
		delimiterField,
		{Key: "filename", Label: "Filename", Type: destkit.String, Required: true,
			Default:     `{"@template":"{{properties.audience_key}}.csv"}`,
			Description: "Name of the file; its digest is added before the extension. Give each subscription its own."},
		enableBatchingField,
		batchSizeField,
		{Key: "s3_aws_bucket_path", Label: "AWS Bucket Path [optional]", Type: destkit.String,
			Description: "Folder inside the bucket (folder1/folder2); the bucket's root when empty."},
	},
	// Every file goes to one bucket and folder, under one name and delimiter.
	Batch: &destkit.Batch{MaxSize: maxRows, Keys: []string{"s3_aws_bucket_name", "s3_aws_region", "s3_aws_bucket_path", "s3_aws_access_key", "filename", "delimiter"}},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return putFile(&destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings})
	},
	PerformBatch: putFile,
}

// putFile builds the file of a batch and its signed PUT.
func putFile(in *destkit.BatchInput) ([]destkit.Request, error) {
	if err := checkRows(len(in.Payloads)); err != nil {
		return nil, err
	}
	first := in.Payloads[0]
	str := func(k string) string { return string(first.GetStringBytes(k)) }
	bucket := str("s3_aws_bucket_name")
	if bucket != "" && !filekit.ValidBucketName(bucket) {
		return nil, destkit.ValidationErrorf("s3_aws_bucket_name", "%q is not a valid S3 bucket name: 3 to 63 lower-case letters, digits, dots "+
			"and hyphens, without '/', as AWS names buckets", bucket)
	}
	folder := strings.Trim(str("s3_aws_bucket_path"), "/")
	if folder != "" && !filekit.ValidKeyPrefix(folder) {
		return nil, destkit.ValidationErrorf("s3_aws_bucket_path", "%q is not a valid folder in a bucket: give a relative path "+
			"(folder1/folder2) without \\ { } ^ [ ] %% ` \" < > # | ~", folder)
	}
	for _, f := range []string{"s3_aws_access_key", "s3_aws_secret_key", "s3_aws_bucket_name", "s3_aws_region"} {
		if str(f) == "" {
			return nil, destkit.ValidationErrorf(f, "S3 uploads need %s", f)
		}
	}
	content, err := file(in)
	if err != nil {
		return nil, err
	}
	key := filekit.Name(str("filename"), content)
	if folder != "" {
		key = folder + "/" + key
	}
	obj := &filekit.S3Object{
		Bucket: bucket, Region: str("s3_aws_region"), Key: key,
		AccessKeyID: str("s3_aws_access_key"), SecretAccessKey: str("s3_aws_secret_key"),
		ContentType: "text/csv", Body: content,
	}
	r, err := obj.Request(now())
	if err != nil {
		return nil, err
	}
	return []destkit.Request{r}, nil
}
