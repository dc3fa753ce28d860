package browsertest

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Why a proxy: Chrome's own offline emulation (Network.emulateNetworkConditions,
// and its successor Network.emulateNetworkConditionsByRule with
// Network.overrideNetworkState) makes new requests and new websockets fail
// and sets navigator.onLine to false, but it does not close a websocket that
// is already open. Measured with Chromium 156: the socket stays in readyState
// OPEN, its frames are held back in both directions, neither side sees an
// error, and when the emulation ends the held frames arrive as if nothing
// happened. That is a stall, not a lost connection. Network.setBlockedURLs
// and the Fetch domain act on new requests only, and the protocol has no
// command that closes a page's socket. (A page's sockets can be found with
// Runtime.queryObjects and closed with ws.close(), but that is a clean close
// the page itself asks for, with a close frame the server receives: not what
// a dropped network looks like to either side.)
//
// So a context made with NetworkSwitch reaches the network through a SOCKS5
// proxy in the test process, and GoOffline does both: it turns on Chrome's
// offline emulation, so that the page sees navigator.onLine false and every
// new request or socket fails at once with ERR_INTERNET_DISCONNECTED, and it
// closes every TCP connection the proxy carries, so that an open websocket
// really breaks: the page gets a close event with code 1006, the server a
// read error without a close frame.

// networkSwitch is the Option NetworkSwitch.
type networkSwitch struct{}

func (networkSwitch) apply(c *contextConfig) { c.networkSwitch = true }

// NetworkSwitch is an Option that lets GoOffline and GoOnline cut and restore
// the network of the context, including connections that are already open,
// such as a websocket. Every connection of the context then goes through a
// small proxy on 127.0.0.1 in the test process; the page's URLs and origins
// do not change. The proxy connects to loopback addresses only.
var NetworkSwitch Option = networkSwitch{}

// switchKey is the key of the proxy in a context made with NetworkSwitch.
type switchKey struct{}

// proxy is a SOCKS5 proxy (RFC 1928, no authentication, CONNECT only) that
// can drop every connection it carries and refuse new ones.
type proxy struct {
	ln net.Listener

	mu      sync.Mutex
	offline bool
	conns   map[net.Conn]struct{} // both ends of every tunnel
	closed  bool
	wg      sync.WaitGroup
}

// startProxy starts a proxy on 127.0.0.1 and stops it when the test ends.
func startProxy(t testing.TB) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("starting the network switch: %v", err)
	}
	p := &proxy{ln: ln, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(p.close)
	return p
}

// url is the proxy as Chrome's --proxy-server names it.
func (p *proxy) url() string { return "socks5://" + p.ln.Addr().String() }

func (p *proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		if !p.track(c) {
			c.Close()
			continue
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.tunnel(c)
		}()
	}
}

// track adds c to the connections that setOffline drops. It reports false
// when the proxy is offline or closed: c must then be closed at once.
func (p *proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.offline || p.closed {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *proxy) untrack(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, c)
}

// tunnel answers the SOCKS5 handshake on client, connects to the address it
// asks for and copies bytes both ways until either side ends or the proxy
// drops the connection.
func (p *proxy) tunnel(client net.Conn) {
	defer p.untrack(client)
	defer client.Close()

	client.SetDeadline(time.Now().Add(10 * time.Second))
	addr, err := socksHandshake(client)
	if err != nil {
		return
	}
	host, _, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		// 0x02: connection not allowed by ruleset. Tests stay on this machine.
		client.Write([]byte{5, 2, 0, 1, 0, 0, 0, 0, 0, 0})
		return
	}
	server, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		client.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0}) // 0x05: connection refused
		return
	}
	defer server.Close()
	if !p.track(server) {
		return
	}
	defer p.untrack(server)
	if _, err := client.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0}); err != nil {
		return
	}
	client.SetDeadline(time.Time{})

	done := make(chan struct{}, 2)
	go func() { io.Copy(server, client); done <- struct{}{} }()
	go func() { io.Copy(client, server); done <- struct{}{} }()
	<-done
	// Either side ended: end the other too, so the second copy returns.
	client.Close()
	server.Close()
	<-done
}

// socksHandshake reads a SOCKS5 greeting and CONNECT request from c, accepts
// "no authentication", and returns the address to connect to as host:port.
func socksHandshake(c net.Conn) (string, error) {
	var head [2]byte
	if _, err := io.ReadFull(c, head[:]); err != nil {
		return "", err
	}
	if head[0] != 5 {
		return "", fmt.Errorf("socks version %d", head[0])
	}
	methods := make([]byte, head[1])
	if _, err := io.ReadFull(c, methods); err != nil {
		return "", err
	}
	if _, err := c.Write([]byte{5, 0}); err != nil {
		return "", err
	}
	var req [4]byte // version, command, reserved, address type
	if _, err := io.ReadFull(c, req[:]); err != nil {
		return "", err
	}
	if req[0] != 5 || req[1] != 1 {
		c.Write([]byte{5, 7, 0, 1, 0, 0, 0, 0, 0, 0}) // 0x07: command not supported
		return "", fmt.Errorf("socks command %d", req[1])
	}
	var host string
	switch req[3] {
	case 1, 4: // IPv4, IPv6
		ip := make(net.IP, map[byte]int{1: 4, 4: 16}[req[3]])
		if _, err := io.ReadFull(c, ip); err != nil {
			return "", err
		}
		host = ip.String()
	case 3: // domain name
		var n [1]byte
		if _, err := io.ReadFull(c, n[:]); err != nil {
			return "", err
		}
		name := make([]byte, n[0])
		if _, err := io.ReadFull(c, name); err != nil {
			return "", err
		}
		host = string(name)
	default:
		c.Write([]byte{5, 8, 0, 1, 0, 0, 0, 0, 0, 0}) // 0x08: address type not supported
		return "", fmt.Errorf("socks address type %d", req[3])
	}
	var port [2]byte
	if _, err := io.ReadFull(c, port[:]); err != nil {
		return "", err
	}
	return net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(port[:])))), nil
}

// setOffline drops every open connection and refuses new ones (offline), or
// lets connections through again.
func (p *proxy) setOffline(offline bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.offline = offline
	if offline {
		for c := range p.conns {
			c.Close()
		}
	}
}

func (p *proxy) close() {
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.ln.Close()
	p.wg.Wait()
}

// proxyFrom returns the proxy of a context made with NetworkSwitch, or fails
// the test.
func proxyFrom(ctx context.Context, t testing.TB) *proxy {
	t.Helper()
	p, ok := ctx.Value(switchKey{}).(*proxy)
	if !ok {
		t.Fatal("browsertest: GoOffline and GoOnline need a context made with the NetworkSwitch option")
	}
	return p
}

// GoOffline cuts the network of the tab of ctx, which must come from
// NewContext with the NetworkSwitch option, as a phone that loses its Wi-Fi:
// open connections (a websocket too) break at once, new requests and sockets
// fail with net::ERR_INTERNET_DISCONNECTED, navigator.onLine turns false and
// the window gets an "offline" event. Expect the browser to log the failed
// attempts as console errors while the tab is offline.
func GoOffline(ctx context.Context, t testing.TB) {
	t.Helper()
	p := proxyFrom(ctx, t)
	// Emulation first, so that a page reacting to the broken socket at once
	// finds the network gone when it tries again.
	if err := chromedp.Do(ctx, emulateOffline(true)); err != nil {
		t.Fatalf("going offline: %v", err)
	}
	p.setOffline(true)
}

// GoOnline restores the network that GoOffline cut. Pages notice it as a
// real phone's do: they get an "online" event, and their next attempt to
// connect succeeds.
func GoOnline(ctx context.Context, t testing.TB) {
	t.Helper()
	GoOnlineExcept(ctx, t)
}

// GoOnlineExcept restores the network that GoOffline cut, except for URLs
// that match one of the patterns (URLPattern syntax, for example
// "ws://*:*/ws/*"): new requests and sockets to those keep failing as if
// offline, until GoOnline. It lets a test reload a page whose websocket
// cannot connect yet. Without patterns, it is GoOnline.
func GoOnlineExcept(ctx context.Context, t testing.TB, patterns ...string) {
	t.Helper()
	p := proxyFrom(ctx, t)
	p.setOffline(false)
	if err := chromedp.Do(ctx, emulateOffline(false, patterns...)); err != nil {
		t.Fatalf("going online: %v", err)
	}
}

// emulateOffline turns Chrome's offline emulation on or off for the tab, with
// the commands that replace the deprecated Network.emulateNetworkConditions:
// rules for the requests (a rule without URL pattern matches every request),
// and a network state override for navigator.onLine and the online and
// offline events. The URLs that match one of the patterns stay offline.
func emulateOffline(offline bool, patterns ...string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		rules := []*network.Conditions{}
		for _, p := range patterns {
			rules = append(rules, &network.Conditions{URLPattern: p, Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
		}
		if offline {
			rules = append(rules, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
		}
		if _, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: rules,
		}); err != nil {
			return chromedp.Void{}, fmt.Errorf("Network.emulateNetworkConditionsByRule: %w", err)
		}
		if _, err := cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: offline, DownloadThroughput: -1, UploadThroughput: -1,
		}); err != nil {
			return chromedp.Void{}, fmt.Errorf("Network.overrideNetworkState: %w", err)
		}
		return chromedp.Void{}, nil
	}
}
