// Package kafka produces mapped events to a Kafka cluster of the user's:
// the one destination that does not speak HTTP. Producers are kept per
// connection configuration and reused across events.
package kafka

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the Kafka destination.
var Definition = &destkit.Definition{
	Slug:        "kafka",
	SegmentSlug: "actions-kafka",
	Name:        "Kafka",
	Description: "Produce events as JSON records to topics of your own Kafka cluster.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "clientId", Label: "Client ID", Type: destkit.String, Required: true,
			Default:     `"segment-actions-kafka-producer"`,
			Description: "Client ID the producer announces to the brokers."},
		{Key: "brokers", Label: "Brokers", Type: destkit.String, Required: true,
			Description: "Comma-separated host:port list of bootstrap brokers."},
		{Key: "mechanism", Label: "Authentication Mechanism", Type: destkit.String, Required: true,
			Choices: []destkit.Choice{{Value: "plain", Label: "Plain"}, {Value: "scram-sha-256", Label: "SCRAM-SHA-256"},
				{Value: "scram-sha-512", Label: "SCRAM-SHA-512"}, {Value: "client-cert-auth", Label: "Client Certificate"}},
			Default:     `"plain"`,
			Description: "SASL mechanism, or client certificates (mutual TLS) instead of SASL."},
		{Key: "username", Label: "Username", Type: destkit.String,
			Description: "SASL user name; without one, plain means no SASL at all."},
		{Key: "password", Label: "Password", Type: destkit.Password, Secret: true,
			Description: "SASL password."},
		{Key: "accessKeyId", Label: "AWS Access Key ID", Type: destkit.String,
			Description: "Kept for configurations imported from Segment; AWS IAM authentication is not supported."},
		{Key: "secretAccessKey", Label: "AWS Secret Key", Type: destkit.Password, Secret: true,
			Description: "Kept for configurations imported from Segment; AWS IAM authentication is not supported."},
		{Key: "authorizationIdentity", Label: "AWS Authorization Identity", Type: destkit.String,
			Description: "Kept for configurations imported from Segment; AWS IAM authentication is not supported."},
		{Key: "ssl_enabled", Label: "SSL Enabled", Type: destkit.Boolean,
			Default:     `true`,
			Description: "Connect with TLS."},
		{Key: "ssl_ca", Label: "SSL Certificate Authority", Type: destkit.String,
			Description: "PEM certificate of the CA that signed the brokers' certificates; the system roots otherwise."},
		{Key: "ssl_key", Label: "SSL Client Key", Type: destkit.Password, Secret: true,
			Description: "PEM private key of the client certificate."},
		{Key: "ssl_cert", Label: "SSL Client Certificate", Type: destkit.String,
			Description: "PEM client certificate, for client-certificate authentication."},
		{Key: "ssl_reject_unauthorized_ca", Label: "SSL - Reject Unauthorized Certificate Authority", Type: destkit.Boolean,
			Default:     `true`,
			Description: "Refuse brokers whose certificate does not verify. Turn off only for testing."},
	},
	Actions: []*destkit.Action{Send},
}
