#include <curl/curl.h>

// curl_easy_setopt/getinfo are variadic, which Swift cannot call: one typed,
// static inline wrapper per argument kind.
static inline CURLcode tuan_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tuan_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tuan_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tuan_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tuan_curl_setopt_offset(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tuan_curl_setopt_write_function(CURL *h, curl_write_callback cb) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cb); }
static inline CURLcode tuan_curl_setopt_header_function(CURL *h, curl_write_callback cb) { return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, cb); }
static inline CURLcode tuan_curl_getinfo_long(CURL *h, CURLINFO i, long *out) { return curl_easy_getinfo(h, i, out); }
static inline CURLcode tuan_curl_getinfo_offset(CURL *h, CURLINFO i, curl_off_t *out) { return curl_easy_getinfo(h, i, out); }

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

// Outbound address policy, applied to the address libcurl resolved, just before it connects
// (a host re-resolved at each delivery can point anywhere by then). Never: unspecified and
// link-local addresses (169.254.169.254 is the cloud metadata service). Loopback, private
// (RFC 1918, CGNAT, unique-local IPv6) only when allowed. IPv4-mapped IPv6 is checked as IPv4.
static inline int tuan_ipv4_allowed(uint32_t a, int allow_private) {
    uint32_t b0 = a >> 24, b1 = (a >> 16) & 0xff;
    if (b0 == 0) return 0;                              // 0.0.0.0/8 unspecified
    if (b0 == 169 && b1 == 254) return 0;               // link-local
    if (b0 >= 224) return 0;                            // multicast, reserved, broadcast
    int private_range = b0 == 127 || b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)
        || (b0 == 100 && (b1 & 0xc0) == 64);
    return !private_range || allow_private;
}

static inline int tuan_address_allowed(const struct sockaddr *sa, int allow_private) {
    if (sa->sa_family == AF_INET) {
        return tuan_ipv4_allowed(ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr), allow_private);
    }
    if (sa->sa_family == AF_INET6) {
        const unsigned char *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
        static const unsigned char mapped[12] = {0,0,0,0,0,0,0,0,0,0,0xff,0xff};
        if (memcmp(b, mapped, 12) == 0) {
            return tuan_ipv4_allowed(((uint32_t)b[12] << 24) | ((uint32_t)b[13] << 16) | ((uint32_t)b[14] << 8) | b[15], allow_private);
        }
        int zero = 1;
        for (int i = 0; i < 15; i++) if (b[i]) zero = 0;
        if (zero && (b[15] == 0)) return 0;                 // ::
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return 0; // fe80::/10 link-local
        if (b[0] == 0xff) return 0;                          // multicast
        int private_range = (zero && b[15] == 1) || (b[0] & 0xfe) == 0xfc;   // ::1, fc00::/7
        return !private_range || allow_private;
    }
    return 0;
}

static curl_socket_t tuan_open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *address) {
    (void)purpose;
    if (!tuan_address_allowed(&address->addr, clientp != NULL)) return CURL_SOCKET_BAD;
    return socket(address->family, address->socktype, address->protocol);
}

static inline CURLcode tuan_curl_restrict_addresses(CURL *h, int allow_private) {
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, tuan_open_socket);
    return curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, allow_private ? (void *)1 : NULL);
}
