// Package testnetwork runs a real Hyperledger Fabric network as native
// processes on 127.0.0.1, without Docker: three etcdraft orderers, two peer
// orgs with one peer each, one Fabric CA per peer org issuing the fixture
// identities with their likr.role attribute, and the Likr chaincode deployed
// as a service with mutual TLS. Integration tests import it; the likrnet
// command behind the make targets uses it too.
//
// Every process listens on 127.0.0.1 only, on a block of ports claimed with
// a file lock, so two networks never clash. Any node can be stopped, killed,
// paused and restarted with its data kept. Stop tears down everything.
package testnetwork

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/likrcommerce/likr/fixtures"
)

// Names used throughout the network.
const (
	ChannelName   = "likr"
	ChaincodeName = "likr"
	OrdererMSPID  = "OrdererMSP"
	ordererDomain = "likr.example"
)

// Options configure a network.
type Options struct {
	// Dir holds crypto, ledgers, logs and state. Required.
	Dir string
	// Tools says where the Fabric binaries are (see EnsureBuilt).
	Tools Tools
	// ChaincodeBinary is the likr-chaincode server; BuilderBinary the
	// likr-ccaas-builder. Both required for Deploy.
	ChaincodeBinary string
	BuilderBinary   string
	// Identities to enroll; defaults to fixtures.Identities().
	Identities []fixtures.Identity
	// BatchTimeout of the channel; default 100ms (tests want short blocks).
	BatchTimeout time.Duration
	// Detached nodes keep running after this process exits (make network-up).
	Detached bool
	// ReadyTimeout bounds each readiness wait; default 60s.
	ReadyTimeout time.Duration
	// Log receives progress lines; default io.Discard.
	Log io.Writer
	// Extra chaincodes to serve beside likr (DeployExtra), each by its own
	// server; declared here because every peer's builder configuration
	// carries their addresses from the start.
	Extra []ExtraChaincode
}

// Org is a peer organisation.
type Org struct {
	Name   string `json:"name"`   // Org1
	MSPID  string `json:"mspId"`  // Org1MSP
	Domain string `json:"domain"` // org1.likr.example
}

// Network is a running (or stopped) network.
type Network struct {
	Dir          string        `json:"dir"`
	PortBase     int           `json:"portBase"`
	BatchTimeout time.Duration `json:"batchTimeout"`
	Orgs         []Org         `json:"orgs"`
	Nodes        []*Node       `json:"nodes"`
	PackageID    string        `json:"packageId,omitempty"`
	Sequence     int           `json:"sequence,omitempty"`
	Identities   []fixtures.Identity
	Extra        []*ExtraChaincode `json:"extra,omitempty"`

	opts  Options
	ports *portBlock
	mu    sync.Mutex
}

var defaultOrgs = []Org{
	{Name: "Org1", MSPID: "Org1MSP", Domain: "org1.likr.example"},
	{Name: "Org2", MSPID: "Org2MSP", Domain: "org2.likr.example"},
}

var ordererNames = []string{"orderer0", "orderer1", "orderer2"}

func (o *Options) defaults() error {
	if o.Dir == "" {
		return errors.New("testnetwork: Options.Dir is required")
	}
	abs, err := filepath.Abs(o.Dir)
	if err != nil {
		return err
	}
	o.Dir = abs
	if o.BatchTimeout == 0 {
		o.BatchTimeout = 100 * time.Millisecond
	}
	if o.ReadyTimeout == 0 {
		o.ReadyTimeout = 60 * time.Second
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if err := checkExtra(o.Extra); err != nil {
		return err
	}
	if o.Identities == nil {
		ids, err := fixtures.Identities()
		if err != nil {
			return err
		}
		o.Identities = ids
	}
	for _, b := range FabricBinaries() {
		if _, err := os.Stat(o.Tools.Bin(b)); err != nil {
			return fmt.Errorf("testnetwork: Fabric binary %s missing in %s: run `make binaries` (or Tools.EnsureBuilt)", b, o.Tools.BinDir)
		}
	}
	return nil
}

// Start generates crypto and channel configuration, starts every node,
// enrolls the identities and creates the channel, returning once the
// channel is usable. On error everything started is stopped again.
func Start(ctx context.Context, opts Options) (n *Network, err error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(stateFile(opts.Dir)); err == nil {
		return nil, fmt.Errorf("testnetwork: %s already holds a network; stop it and remove the folder first", opts.Dir)
	}
	ports, err := claimPortBlock(filepath.Join(os.TempDir(), "likr-ports"))
	if err != nil {
		return nil, err
	}
	n = &Network{
		Dir: opts.Dir, PortBase: ports.base, BatchTimeout: opts.BatchTimeout,
		Orgs: defaultOrgs, Identities: opts.Identities, opts: opts, ports: ports,
	}
	defer func() {
		if err != nil {
			_ = n.Stop()
		}
	}()
	started := time.Now()
	n.planNodes()
	if err := n.generateCrypto(ctx); err != nil {
		return n, err
	}
	for _, node := range n.Nodes {
		if err := n.configureNode(node); err != nil {
			return n, err
		}
	}
	if err := n.generateGenesis(ctx); err != nil {
		return n, err
	}
	if err := n.writePeerConfig(); err != nil {
		return n, err
	}
	if err := n.saveState(); err != nil {
		return n, err
	}
	for _, node := range n.Nodes {
		if node.Kind == KindChaincode {
			continue
		}
		if err := node.start(); err != nil {
			return n, err
		}
	}
	if err := n.saveState(); err != nil {
		return n, err
	}
	for _, node := range n.Nodes {
		if node.Kind != KindChaincode {
			if err := n.waitHealthy(ctx, node); err != nil {
				return n, err
			}
		}
	}
	fmt.Fprintf(opts.Log, "nodes healthy after %s\n", time.Since(started).Round(time.Millisecond))

	// Enrolling identities and creating the channel are independent.
	enrollErr := make(chan error, 1)
	go func() { enrollErr <- n.enrollIdentities(ctx) }()
	chErr := n.createChannel(ctx)
	if err := errors.Join(chErr, <-enrollErr); err != nil {
		return n, err
	}
	if err := n.writeProfiles(); err != nil {
		return n, err
	}
	fmt.Fprintf(opts.Log, "channel %s ready after %s\n", ChannelName, time.Since(started).Round(time.Millisecond))
	return n, n.saveState()
}

// planNodes assigns ports, folders and environments to every node.
func (n *Network) planNodes() {
	logDir := filepath.Join(n.Dir, "logs")
	add := func(node *Node) {
		node.LogPath = filepath.Join(logDir, node.Name+".log")
		node.lockFile = n.ports.lock
		node.detached = n.opts.Detached
		n.Nodes = append(n.Nodes, node)
	}
	for _, name := range ordererNames {
		listen, admin, ops := n.ports.take(), n.ports.take(), n.ports.take()
		add(&Node{
			Name: name, Kind: KindOrderer, Org: "Orderer", Binary: n.opts.Tools.Bin("orderer"),
			Dir:    filepath.Join(n.Dir, "orderers", name),
			Ports:  map[string]int{"listen": listen, "admin": admin, "operations": ops},
			Health: fmt.Sprintf("http://127.0.0.1:%d/healthz", ops),
		})
	}
	for _, org := range n.Orgs {
		listen, cc, ops := n.ports.take(), n.ports.take(), n.ports.take()
		add(&Node{
			Name: "peer0." + strings.ToLower(org.Name), Kind: KindPeer, Org: org.Name, Binary: n.opts.Tools.Bin("peer"),
			Args:   []string{"node", "start"},
			Dir:    filepath.Join(n.Dir, "peers", "peer0."+strings.ToLower(org.Name)),
			Ports:  map[string]int{"listen": listen, "chaincode": cc, "operations": ops},
			Health: fmt.Sprintf("http://127.0.0.1:%d/healthz", ops),
		})
	}
	for _, org := range n.Orgs {
		listen, ops := n.ports.take(), n.ports.take()
		add(&Node{
			Name: "ca." + strings.ToLower(org.Name), Kind: KindCA, Org: org.Name, Binary: n.opts.Tools.Bin("fabric-ca-server"),
			Dir:    filepath.Join(n.Dir, "cas", strings.ToLower(org.Name)),
			Ports:  map[string]int{"listen": listen, "operations": ops},
			Health: fmt.Sprintf("http://127.0.0.1:%d/healthz", ops),
		})
	}
	add(&Node{
		Name: "chaincode", Kind: KindChaincode, Org: "", Binary: n.opts.ChaincodeBinary,
		Dir:   filepath.Join(n.Dir, "chaincode"),
		Ports: map[string]int{"listen": n.ports.take()},
	})
	n.planExtra(add)
}

// Node returns the node called name, or nil.
func (n *Network) Node(name string) *Node {
	for _, node := range n.Nodes {
		if node.Name == name {
			return node
		}
	}
	return nil
}

// NodesOf returns the nodes of one kind, in start order.
func (n *Network) NodesOf(kind Kind) []*Node {
	var out []*Node
	for _, node := range n.Nodes {
		if node.Kind == kind {
			out = append(out, node)
		}
	}
	return out
}

// Peer returns the peer of org ("Org1").
func (n *Network) Peer(org string) *Node { return n.Node("peer0." + strings.ToLower(org)) }

// Org returns the org called name.
func (n *Network) Org(name string) (Org, bool) {
	for _, o := range n.Orgs {
		if o.Name == name {
			return o, true
		}
	}
	return Org{}, false
}

// Paths into the generated crypto material.
func (n *Network) cryptoDir() string { return filepath.Join(n.Dir, "crypto") }

func (n *Network) ordererOrgDir() string {
	return filepath.Join(n.cryptoDir(), "ordererOrganizations", ordererDomain)
}

func (n *Network) orgDir(org Org) string {
	return filepath.Join(n.cryptoDir(), "peerOrganizations", org.Domain)
}

func (n *Network) ordererTLSDir(name string) string {
	return filepath.Join(n.ordererOrgDir(), "orderers", name+"."+ordererDomain, "tls")
}

// OrdererTLSCA is the TLS root of the orderer org.
func (n *Network) OrdererTLSCA() string {
	return filepath.Join(n.ordererOrgDir(), "tlsca", "tlsca."+ordererDomain+"-cert.pem")
}

// PeerTLSCA is the TLS root of org's peers.
func (n *Network) PeerTLSCA(org Org) string {
	return filepath.Join(n.orgDir(org), "tlsca", "tlsca."+org.Domain+"-cert.pem")
}

func (n *Network) peerCryptoDir(org Org) string {
	return filepath.Join(n.orgDir(org), "peers", "peer0."+org.Domain)
}

// OrgAdminMSP is the MSP folder of org's admin (made by cryptogen, OU admin).
func (n *Network) OrgAdminMSP(org Org) string {
	return filepath.Join(n.orgDir(org), "users", "Admin@"+org.Domain, "msp")
}

func (n *Network) ordererAdminTLS() (cert, key string) {
	dir := filepath.Join(n.ordererOrgDir(), "users", "Admin@"+ordererDomain, "tls")
	return filepath.Join(dir, "client.crt"), filepath.Join(dir, "client.key")
}

func (n *Network) chaincodeTLSDir() string { return filepath.Join(n.Dir, "chaincode", "tls") }

func (n *Network) builderDir() string { return filepath.Join(n.Dir, "builder") }

// OrdererAddress is the client address of the first orderer.
func (n *Network) OrdererAddress() string {
	return fmt.Sprintf("127.0.0.1:%d", n.NodesOf(KindOrderer)[0].Ports["listen"])
}

// PeerAddress is org's peer endpoint (gRPC, gateway).
func (n *Network) PeerAddress(org Org) string {
	return fmt.Sprintf("127.0.0.1:%d", n.Peer(org.Name).Ports["listen"])
}

// configureNode sets a node's arguments and environment from the plan and
// the generated crypto; the state file records them, so a network loaded
// by another process restarts nodes the same way.
func (n *Network) configureNode(node *Node) error {
	port := func(name string) string { return fmt.Sprint(node.Ports[name]) }
	switch node.Kind {
	case KindOrderer:
		tls := n.ordererTLSDir(node.Name)
		crt, key, ca := filepath.Join(tls, "server.crt"), filepath.Join(tls, "server.key"), filepath.Join(tls, "ca.crt")
		node.Env = []string{
			"FABRIC_CFG_PATH=" + n.opts.Tools.ConfigDir,
			"FABRIC_LOGGING_SPEC=info",
			"ORDERER_GENERAL_LISTENADDRESS=127.0.0.1",
			"ORDERER_GENERAL_LISTENPORT=" + port("listen"),
			"ORDERER_GENERAL_LOCALMSPID=" + OrdererMSPID,
			"ORDERER_GENERAL_LOCALMSPDIR=" + filepath.Join(n.ordererOrgDir(), "orderers", node.Name+"."+ordererDomain, "msp"),
			"ORDERER_GENERAL_TLS_ENABLED=true",
			"ORDERER_GENERAL_TLS_PRIVATEKEY=" + key,
			"ORDERER_GENERAL_TLS_CERTIFICATE=" + crt,
			"ORDERER_GENERAL_TLS_ROOTCAS=[" + ca + "]",
			"ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE=" + crt,
			"ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY=" + key,
			"ORDERER_GENERAL_CLUSTER_ROOTCAS=[" + ca + "]",
			"ORDERER_GENERAL_BOOTSTRAPMETHOD=none",
			"ORDERER_CHANNELPARTICIPATION_ENABLED=true",
			"ORDERER_ADMIN_LISTENADDRESS=127.0.0.1:" + port("admin"),
			"ORDERER_ADMIN_TLS_ENABLED=true",
			"ORDERER_ADMIN_TLS_PRIVATEKEY=" + key,
			"ORDERER_ADMIN_TLS_CERTIFICATE=" + crt,
			"ORDERER_ADMIN_TLS_ROOTCAS=[" + ca + "]",
			"ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true",
			"ORDERER_ADMIN_TLS_CLIENTROOTCAS=[" + ca + "]",
			"ORDERER_OPERATIONS_LISTENADDRESS=127.0.0.1:" + port("operations"),
			"ORDERER_METRICS_PROVIDER=prometheus",
			"ORDERER_FILELEDGER_LOCATION=" + filepath.Join(node.Dir, "ledger"),
			"ORDERER_CONSENSUS_WALDIR=" + filepath.Join(node.Dir, "etcdraft", "wal"),
			"ORDERER_CONSENSUS_SNAPDIR=" + filepath.Join(node.Dir, "etcdraft", "snapshot"),
		}
	case KindPeer:
		org, _ := n.Org(node.Org)
		dir := n.peerCryptoDir(org)
		builderConfig, err := n.builderConfigEnv()
		if err != nil {
			return err
		}
		address := "127.0.0.1:" + port("listen")
		node.Env = []string{
			"FABRIC_CFG_PATH=" + node.Dir,
			"FABRIC_LOGGING_SPEC=info",
			"CORE_PEER_ID=" + node.Name,
			"CORE_PEER_ADDRESS=" + address,
			"CORE_PEER_LISTENADDRESS=" + address,
			"CORE_PEER_CHAINCODEADDRESS=127.0.0.1:" + port("chaincode"),
			"CORE_PEER_CHAINCODELISTENADDRESS=127.0.0.1:" + port("chaincode"),
			"CORE_PEER_GOSSIP_BOOTSTRAP=" + address,
			"CORE_PEER_GOSSIP_EXTERNALENDPOINT=" + address,
			// Shorter gossip intervals: peers of the two orgs find each other
			// in seconds instead of the default ~35 s (see the notes).
			"CORE_PEER_GOSSIP_RECONNECTINTERVAL=2s",
			"CORE_PEER_GOSSIP_ALIVETIMEINTERVAL=2s",
			"CORE_PEER_GOSSIP_ALIVEEXPIRATIONTIMEOUT=10s",
			"CORE_PEER_GOSSIP_PUBLISHSTATEINFOINTERVAL=1s",
			"CORE_PEER_GOSSIP_MEMBERSHIPTRACKERINTERVAL=1s",
			"CORE_PEER_LOCALMSPID=" + org.MSPID,
			"CORE_PEER_MSPCONFIGPATH=" + filepath.Join(dir, "msp"),
			"CORE_PEER_TLS_ENABLED=true",
			"CORE_PEER_TLS_CERT_FILE=" + filepath.Join(dir, "tls", "server.crt"),
			"CORE_PEER_TLS_KEY_FILE=" + filepath.Join(dir, "tls", "server.key"),
			"CORE_PEER_TLS_ROOTCERT_FILE=" + filepath.Join(dir, "tls", "ca.crt"),
			"CORE_PEER_FILESYSTEMPATH=" + filepath.Join(node.Dir, "data"),
			"CORE_LEDGER_SNAPSHOTS_ROOTDIR=" + filepath.Join(node.Dir, "snapshots"),
			"CORE_OPERATIONS_LISTENADDRESS=127.0.0.1:" + port("operations"),
			"CORE_METRICS_PROVIDER=prometheus",
			builderConfig,
		}
	case KindCA:
		org, _ := n.Org(node.Org)
		caDir := filepath.Join(n.orgDir(org), "ca")
		node.Args = []string{
			"start", "-b", caRegistrar + ":" + caRegistrarSecret, "--home", node.Dir,
			"--port", port("listen"), "--address", "127.0.0.1",
			"--ca.name", "ca-" + strings.ToLower(org.Name),
			"--ca.certfile", filepath.Join(caDir, "ca."+org.Domain+"-cert.pem"),
			"--ca.keyfile", filepath.Join(caDir, "priv_sk"),
			"--tls.enabled", "--csr.hosts", "127.0.0.1,localhost",
			"--operations.listenaddress", "127.0.0.1:" + port("operations"),
		}
	case KindChaincode:
		ccTLS := n.chaincodeTLSDir()
		node.Env = []string{
			"CHAINCODE_SERVER_ADDRESS=" + fmt.Sprintf("127.0.0.1:%d", node.Ports["listen"]),
			"CHAINCODE_ID=" + n.servedPackageID(node),
			"CHAINCODE_TLS_CERT=" + filepath.Join(ccTLS, "server.crt"),
			"CHAINCODE_TLS_KEY=" + filepath.Join(ccTLS, "server.key"),
			"CHAINCODE_CLIENT_CA_CERT=" + filepath.Join(ccTLS, "ca.crt"),
		}
	}
	return nil
}

func (n *Network) chaincodeAddress() string {
	return fmt.Sprintf("127.0.0.1:%d", n.Node("chaincode").Ports["listen"])
}

// generateCrypto runs cryptogen and writes the chaincode TLS material.
func (n *Network) generateCrypto(ctx context.Context) error {
	cfg := filepath.Join(n.Dir, "cryptogen.yaml")
	if err := renderTemplate(cfg, cryptoConfig, map[string]any{
		"OrdererDomain": ordererDomain, "Orderers": ordererNames, "Orgs": n.Orgs,
	}); err != nil {
		return err
	}
	if _, err := n.run(ctx, n.opts.Tools.Bin("cryptogen"), nil, "generate", "--config", cfg, "--output", n.cryptoDir()); err != nil {
		return err
	}
	_, err := writeChaincodeTLS(n.chaincodeTLSDir())
	return err
}

func (n *Network) genesisBlock() string { return filepath.Join(n.Dir, "channel", ChannelName+".block") }

// generateGenesis writes configtx.yaml and the channel's genesis block.
func (n *Network) generateGenesis(ctx context.Context) error {
	type ordererData struct {
		Port    int
		TLSCert string
	}
	type orgData struct {
		Org
		MSPDir   string
		PeerPort int
	}
	var orderers []ordererData
	for _, o := range n.NodesOf(KindOrderer) {
		orderers = append(orderers, ordererData{o.Ports["listen"], filepath.Join(n.ordererTLSDir(o.Name), "server.crt")})
	}
	var orgs []orgData
	for _, org := range n.Orgs {
		orgs = append(orgs, orgData{org, filepath.Join(n.orgDir(org), "msp"), n.Peer(org.Name).Ports["listen"]})
	}
	dir := filepath.Join(n.Dir, "channel")
	if err := renderTemplate(filepath.Join(dir, "configtx.yaml"), configtx, map[string]any{
		"OrdererMSPDir": filepath.Join(n.ordererOrgDir(), "msp"), "Orderers": orderers, "Orgs": orgs,
		"BatchTimeout": durationString(n.BatchTimeout),
	}); err != nil {
		return err
	}
	_, err := n.run(ctx, n.opts.Tools.Bin("configtxgen"), []string{"FABRIC_CFG_PATH=" + dir},
		"-profile", "LikrChannel", "-channelID", ChannelName, "-outputBlock", n.genesisBlock())
	return err
}

// writePeerConfig gives each peer its core.yaml and installs the external
// builder (detect, build and release all run the one builder binary).
func (n *Network) writePeerConfig() error {
	sample, err := os.ReadFile(filepath.Join(n.opts.Tools.ConfigDir, "core.yaml"))
	if err != nil {
		return err
	}
	core, err := peerCoreYAML(sample, n.builderDir())
	if err != nil {
		return err
	}
	for _, p := range n.NodesOf(KindPeer) {
		if err := os.MkdirAll(p.Dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(p.Dir, "core.yaml"), core, 0o644); err != nil {
			return err
		}
	}
	bin := filepath.Join(n.builderDir(), "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return err
	}
	if n.opts.BuilderBinary == "" {
		return errors.New("testnetwork: Options.BuilderBinary is required")
	}
	for _, step := range []string{"detect", "build", "release"} {
		_ = os.Remove(filepath.Join(bin, step))
		if err := os.Symlink(n.opts.BuilderBinary, filepath.Join(bin, step)); err != nil {
			return err
		}
	}
	return nil
}

// run executes a command to completion and returns its combined output; a
// failure carries the output, which is where Fabric tools explain.
func (n *Network) run(ctx context.Context, bin string, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(minimalEnv(), env...)
	cmd.Dir = n.Dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("%s %s: %w\n%s", filepath.Base(bin), strings.Join(args, " "), err, tail(string(out), 25))
	}
	return out, nil
}

func tail(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// Stop stops every node (chaincode first, then peers, orderers and CAs),
// releases the ports and removes the state file. Data stays in Dir.
func (n *Network) Stop() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	var errs []error
	for _, kind := range []Kind{KindChaincode, KindPeer, KindOrderer, KindCA} {
		nodes := n.NodesOf(kind)
		stopErrs := make([]error, len(nodes))
		var wg sync.WaitGroup
		for i, node := range nodes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := node.Stop(); err != nil {
					stopErrs[i] = fmt.Errorf("%s: %w", node.Name, err)
				}
			}()
		}
		wg.Wait()
		errs = append(errs, stopErrs...)
	}
	n.ports.release()
	_ = os.Remove(stateFile(n.Dir))
	return errors.Join(errs...)
}

// Restart starts a stopped node again with its data and waits until it is
// healthy.
func (n *Network) Restart(ctx context.Context, node *Node) error {
	if node.Running() {
		if err := node.Stop(); err != nil {
			return err
		}
	}
	node.lockFile = n.ports.lock
	node.detached = n.opts.Detached
	if err := node.start(); err != nil {
		return err
	}
	if err := n.saveState(); err != nil {
		return err
	}
	if node.Kind == KindChaincode {
		return n.waitListening(ctx, node)
	}
	return n.waitHealthy(ctx, node)
}

// Summary lists the nodes, sorted by name, for status output.
func (n *Network) Summary() []NodeStatus {
	var out []NodeStatus
	for _, node := range n.Nodes {
		s := NodeStatus{Name: node.Name, Kind: node.Kind, Org: node.Org, PID: node.PID, Running: node.Running(), Ports: node.Ports}
		if node.Kind == KindPeer || node.Kind == KindOrderer {
			s.Height, s.HeightErr = n.Height(node)
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// NodeStatus is one line of `make status`.
type NodeStatus struct {
	Name      string         `json:"name"`
	Kind      Kind           `json:"kind"`
	Org       string         `json:"org"`
	PID       int            `json:"pid"`
	Running   bool           `json:"running"`
	Ports     map[string]int `json:"ports"`
	Height    uint64         `json:"height"`
	HeightErr error          `json:"-"`
}

func stateFile(dir string) string { return filepath.Join(dir, "network.json") }

// saveState records the plan and PIDs, so another process (make status,
// make network-down) can find and stop the nodes.
func (n *Network) saveState() error {
	data, err := json.MarshalIndent(n, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(stateFile(n.Dir), data, 0o644)
}

// Load returns the network recorded in dir by an earlier process. Its nodes
// are controlled by PID.
func Load(dir string, tools Tools) (*Network, error) {
	data, err := os.ReadFile(stateFile(dir))
	if err != nil {
		return nil, fmt.Errorf("no network in %s: %w", dir, err)
	}
	var n Network
	if err := json.Unmarshal(data, &n); err != nil {
		return nil, fmt.Errorf("%s: %w", stateFile(dir), err)
	}
	n.opts = Options{Dir: n.Dir, Tools: tools, Detached: true, ReadyTimeout: 60 * time.Second, Log: io.Discard, Identities: n.Identities, BatchTimeout: n.BatchTimeout}
	n.ports = &portBlock{base: n.PortBase, next: n.PortBase + portBlockSize}
	for _, node := range n.Nodes {
		node.detached = true
	}
	return &n, nil
}

// SetLog directs progress lines of a loaded network.
func (n *Network) SetLog(w io.Writer) { n.opts.Log = w }

// SetChaincodeBinaries sets the binaries Deploy uses on a loaded network.
func (n *Network) SetChaincodeBinaries(chaincode, builder string) {
	n.opts.ChaincodeBinary, n.opts.BuilderBinary = chaincode, builder
	if node := n.Node("chaincode"); node != nil {
		node.Binary = chaincode
	}
}
