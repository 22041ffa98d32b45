package testnetwork

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"
)

const cryptoConfig = `OrdererOrgs:
  - Name: Orderer
    Domain: {{.OrdererDomain}}
    EnableNodeOUs: true
    Specs:
{{- range .Orderers}}
      - Hostname: {{.}}
        SANS: [127.0.0.1, localhost]
{{- end}}
PeerOrgs:
{{- range .Orgs}}
  - Name: {{.Name}}
    Domain: {{.Domain}}
    EnableNodeOUs: true
    Template:
      Count: 1
      SANS: [127.0.0.1, localhost]
    Users:
      Count: 0
{{- end}}
`

// configtx is the channel profile: three etcdraft orderers and the two peer
// orgs; every chaincode needs a MAJORITY of orgs to endorse, which with two
// orgs means both.
const configtx = `Organizations:
  - &OrdererOrg
    Name: OrdererOrg
    ID: OrdererMSP
    MSPDir: {{.OrdererMSPDir}}
    Policies:
      Readers: {Type: Signature, Rule: "OR('OrdererMSP.member')"}
      Writers: {Type: Signature, Rule: "OR('OrdererMSP.member')"}
      Admins: {Type: Signature, Rule: "OR('OrdererMSP.admin')"}
    OrdererEndpoints:
{{- range .Orderers}}
      - 127.0.0.1:{{.Port}}
{{- end}}
{{- range .Orgs}}
  - &{{.Name}}
    Name: {{.MSPID}}
    ID: {{.MSPID}}
    MSPDir: {{.MSPDir}}
    Policies:
      Readers: {Type: Signature, Rule: "OR('{{.MSPID}}.admin', '{{.MSPID}}.peer', '{{.MSPID}}.client')"}
      Writers: {Type: Signature, Rule: "OR('{{.MSPID}}.admin', '{{.MSPID}}.client')"}
      Admins: {Type: Signature, Rule: "OR('{{.MSPID}}.admin')"}
      Endorsement: {Type: Signature, Rule: "OR('{{.MSPID}}.peer')"}
    AnchorPeers:
      - Host: 127.0.0.1
        Port: {{.PeerPort}}
{{- end}}
Capabilities:
  Channel: &ChannelCapabilities
    V2_0: true
  Orderer: &OrdererCapabilities
    V2_0: true
  Application: &ApplicationCapabilities
    V2_5: true
Application: &ApplicationDefaults
  Organizations:
  Policies:
    Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
    Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
    Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
    LifecycleEndorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
    Endorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
  Capabilities: *ApplicationCapabilities
Orderer: &OrdererDefaults
  OrdererType: etcdraft
  BatchTimeout: {{.BatchTimeout}}
  BatchSize:
    MaxMessageCount: 500
    AbsoluteMaxBytes: 10 MB
    PreferredMaxBytes: 2 MB
  EtcdRaft:
    Consenters:
{{- range .Orderers}}
      - Host: 127.0.0.1
        Port: {{.Port}}
        ClientTLSCert: {{.TLSCert}}
        ServerTLSCert: {{.TLSCert}}
{{- end}}
    Options:
      TickInterval: 250ms
      ElectionTick: 10
      HeartbeatTick: 1
      MaxInflightBlocks: 5
      # Small, so that an orderer soon has a Raft snapshot newer than the
      # genesis config changes in its WAL: replaying those on restart can
      # deadlock the pinned Fabric's orderer (hyperledger/fabric#4199, fixed
      # in v2.5.3; see test-network/faults).
      SnapshotIntervalSize: 64 KB
  Organizations:
  Policies:
    Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
    Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
    Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
    BlockValidation: {Type: ImplicitMeta, Rule: "ANY Writers"}
  Capabilities: *OrdererCapabilities
Channel: &ChannelDefaults
  Policies:
    Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
    Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
    Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
  Capabilities: *ChannelCapabilities
Profiles:
  LikrChannel:
    <<: *ChannelDefaults
    Orderer:
      <<: *OrdererDefaults
      Organizations:
        - *OrdererOrg
      Capabilities: *OrdererCapabilities
    Application:
      <<: *ApplicationDefaults
      Organizations:
{{- range .Orgs}}
        - *{{.Name}}
{{- end}}
      Capabilities: *ApplicationCapabilities
`

func renderTemplate(path, text string, data any) error {
	t, err := template.New(filepath.Base(path)).Parse(text)
	if err != nil {
		return err
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// peerCoreYAML adapts Fabric's sample core.yaml for a native peer: no Docker
// endpoint (an empty environment variable is ignored by viper, so it has to
// be the file) and Likr's external builder for chaincode as a service.
func peerCoreYAML(sample []byte, builderDir string) ([]byte, error) {
	s := string(sample)
	edits := []struct{ from, to string }{
		{"endpoint: unix:///var/run/docker.sock", `endpoint: ""`},
		{"path: /opt/hyperledger/ccaas_builder", "path: " + builderDir},
	}
	for _, e := range edits {
		if !strings.Contains(s, e.from) {
			return nil, fmt.Errorf("core.yaml: expected %q in Fabric's sample configuration", e.from)
		}
		s = strings.Replace(s, e.from, e.to, 1)
	}
	return []byte(s), nil
}

func durationString(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%ds", int(d/time.Second))
	}
	return fmt.Sprintf("%dms", d/time.Millisecond)
}
