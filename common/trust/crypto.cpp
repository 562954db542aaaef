// SPDX-License-Identifier: Apache-2.0
#include "crypto.h"

#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcCrypto, "hcp.trust.crypto")

namespace hcp::trust {

namespace {

const unsigned char *bytes(QByteArrayView v)
{
    // OpenSSL rejects some NULL pointers even with length 0; hand it a valid empty buffer.
    static const unsigned char empty = 0;
    return v.isEmpty() ? &empty : reinterpret_cast<const unsigned char *>(v.data());
}

QString opensslError(const char *what)
{
    QString text = QString::fromLatin1(what);
    unsigned long code = 0;
    while ((code = ERR_get_error()) != 0) {
        char buf[256];
        ERR_error_string_n(code, buf, sizeof buf);
        text += QLatin1String(": ") + QString::fromLatin1(buf);
    }
    return text;
}

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

struct BioDeleter { void operator()(BIO *b) const { BIO_free(b); } };
struct MdCtxDeleter { void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); } };
struct PkeyCtxDeleter { void operator()(EVP_PKEY_CTX *c) const { EVP_PKEY_CTX_free(c); } };
struct CipherCtxDeleter { void operator()(EVP_CIPHER_CTX *c) const { EVP_CIPHER_CTX_free(c); } };
struct ParamBldDeleter { void operator()(OSSL_PARAM_BLD *b) const { OSSL_PARAM_BLD_free(b); } };
struct ParamDeleter { void operator()(OSSL_PARAM *p) const { OSSL_PARAM_free(p); } };
struct EcdsaSigDeleter { void operator()(ECDSA_SIG *s) const { ECDSA_SIG_free(s); } };
struct BnDeleter { void operator()(BIGNUM *b) const { BN_free(b); } };

using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

std::shared_ptr<EVP_PKEY> adopt(EVP_PKEY *pkey)
{
    return std::shared_ptr<EVP_PKEY>(pkey, [](EVP_PKEY *p) { EVP_PKEY_free(p); });
}

QString groupName(EVP_PKEY *pkey)
{
    char name[64] = {};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) != 1)
        return {};
    return QString::fromLatin1(name, qsizetype(len));
}

// OpenSSL 3.0 may decode an id-ecPublicKey key on the SM2 curve as type "EC"; signing with
// it would then run ECDSA instead of SM2. Re-import such a key through the SM2 key manager.
EVP_PKEY *asSm2(EVP_PKEY *pkey, bool withPrivate)
{
    OSSL_PARAM *params = nullptr;
    const int selection = withPrivate ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
    if (EVP_PKEY_todata(pkey, selection, &params) != 1)
        return nullptr;
    std::unique_ptr<OSSL_PARAM, ParamDeleter> owned(params);
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
    EVP_PKEY *out = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1
        || EVP_PKEY_fromdata(ctx.get(), &out, selection, params) != 1)
        return nullptr;
    return out;
}

} // namespace

// ---------------------------------------------------------------- Key

Key Key::generate(KeyType type)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, type == KeyType::Sm2 ? "SM2" : "ED25519");
    Key key;
    if (!pkey) {
        qCWarning(lcCrypto).noquote() << opensslError("key generation failed");
        return key;
    }
    key.m_pkey = adopt(pkey);
    key.m_type = type;
    key.m_hasPrivate = true;
    return key;
}

Key Key::fromPem(QByteArrayView pem, QString *error)
{
    Key key;
    bool isPrivate = true;
    BioPtr bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
    EVP_PKEY *pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (!pkey) {
        ERR_clear_error();
        isPrivate = false;
        bio.reset(BIO_new_mem_buf(pem.data(), int(pem.size())));
        pkey = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    }
    if (!pkey) {
        setError(error, opensslError("no PEM private or public key"));
        return key;
    }
    auto owned = adopt(pkey);
    if (EVP_PKEY_is_a(pkey, "ED25519")) {
        key.m_type = KeyType::Ed25519;
    } else if (EVP_PKEY_is_a(pkey, "SM2")) {
        key.m_type = KeyType::Sm2;
    } else if (EVP_PKEY_is_a(pkey, "EC") && groupName(pkey) == QLatin1String("SM2")) {
        EVP_PKEY *converted = asSm2(pkey, isPrivate);
        if (!converted) {
            setError(error, opensslError("cannot convert EC key on the SM2 curve to SM2"));
            return key;
        }
        owned = adopt(converted);
        key.m_type = KeyType::Sm2;
    } else {
        setError(error, QStringLiteral("unsupported key type %1 (only SM2 and Ed25519)")
                            .arg(QString::fromLatin1(EVP_PKEY_get0_type_name(pkey))));
        return key;
    }
    key.m_pkey = std::move(owned);
    key.m_hasPrivate = isPrivate;
    return key;
}

Key Key::sm2PublicFromPoint(QByteArrayView point65, QString *error)
{
    Key key;
    if (point65.size() != 65 || point65[0] != '\x04') {
        setError(error, QStringLiteral("SM2 point must be 65 bytes 04||X||Y"));
        return key;
    }
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> bld(OSSL_PARAM_BLD_new());
    OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0);
    OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point65.data(),
                                     size_t(point65.size()));
    std::unique_ptr<OSSL_PARAM, ParamDeleter> params(OSSL_PARAM_BLD_to_param(bld.get()));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
    EVP_PKEY *pkey = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1
        || EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
        setError(error, opensslError("cannot import SM2 public point"));
        return key;
    }
    auto owned = adopt(pkey);
    PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) {
        setError(error, opensslError("SM2 point is not on the curve"));
        return key;
    }
    key.m_pkey = std::move(owned);
    key.m_type = KeyType::Sm2;
    key.m_hasPrivate = false;
    return key;
}

QByteArray Key::privatePem() const
{
    if (!m_pkey || !m_hasPrivate)
        return {};
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PrivateKey(bio.get(), m_pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    QByteArray out(data, qsizetype(len));
    OPENSSL_cleanse(data, size_t(len));
    return out;
}

QByteArray Key::publicPem() const
{
    if (!m_pkey)
        return {};
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PUBKEY(bio.get(), m_pkey.get()) != 1)
        return {};
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(len));
}

QByteArray Key::publicDer() const
{
    if (!m_pkey)
        return {};
    unsigned char *der = nullptr;
    const int len = i2d_PUBKEY(m_pkey.get(), &der);
    if (len <= 0)
        return {};
    QByteArray out(reinterpret_cast<const char *>(der), len);
    OPENSSL_free(der);
    return out;
}

Key Key::publicOnly() const
{
    if (!m_pkey)
        return {};
    return fromPem(publicPem());
}

// ---------------------------------------------------------------- hashes and MACs

QByteArray Crypto::sm3(QByteArrayView data)
{
    QByteArray out(32, Qt::Uninitialized);
    unsigned int len = 0;
    if (EVP_Digest(bytes(data), size_t(data.size()), reinterpret_cast<unsigned char *>(out.data()),
                   &len, EVP_sm3(), nullptr) != 1)
        return {};
    return out;
}

QByteArray Crypto::sha256(QByteArrayView data)
{
    QByteArray out(32, Qt::Uninitialized);
    unsigned int len = 0;
    if (EVP_Digest(bytes(data), size_t(data.size()), reinterpret_cast<unsigned char *>(out.data()),
                   &len, EVP_sha256(), nullptr) != 1)
        return {};
    return out;
}

static QByteArray hmac(const EVP_MD *md, QByteArrayView key, QByteArrayView data)
{
    QByteArray out(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int len = 0;
    if (!HMAC(md, bytes(key), int(key.size()), bytes(data), size_t(data.size()),
              reinterpret_cast<unsigned char *>(out.data()), &len))
        return {};
    out.truncate(len);
    return out;
}

QByteArray Crypto::hmacSm3(QByteArrayView key, QByteArrayView data)
{
    return hmac(EVP_sm3(), key, data);
}

QByteArray Crypto::hmacSha256(QByteArrayView key, QByteArrayView data)
{
    return hmac(EVP_sha256(), key, data);
}

QByteArray Crypto::randomBytes(int count)
{
    QByteArray out(count, Qt::Uninitialized);
    if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), count) != 1)
        return {};
    return out;
}

bool Crypto::constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(bytes(a), bytes(b), size_t(a.size())) == 0;
}

// ---------------------------------------------------------------- SM4

static std::optional<QByteArray> sm4Cbc(bool encrypt, QByteArrayView key, QByteArrayView iv,
                                        QByteArrayView in, Crypto::Padding padding,
                                        QString *error)
{
    if (key.size() != 16 || iv.size() != 16) {
        setError(error, QStringLiteral("SM4 key and IV must be 16 bytes"));
        return std::nullopt;
    }
    if (padding == Crypto::Padding::None && in.size() % 16 != 0) {
        setError(error, QStringLiteral("SM4 without padding needs whole 16-byte blocks"));
        return std::nullopt;
    }
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_sm4_cbc(), nullptr, bytes(key), bytes(iv),
                                  encrypt ? 1 : 0) != 1) {
        setError(error, opensslError("SM4-CBC init failed"));
        return std::nullopt;
    }
    EVP_CIPHER_CTX_set_padding(ctx.get(), padding == Crypto::Padding::Pkcs7 ? 1 : 0);
    QByteArray out(in.size() + 16, Qt::Uninitialized);
    int len1 = 0;
    int len2 = 0;
    auto *o = reinterpret_cast<unsigned char *>(out.data());
    if (EVP_CipherUpdate(ctx.get(), o, &len1, bytes(in), int(in.size())) != 1
        || EVP_CipherFinal_ex(ctx.get(), o + len1, &len2) != 1) {
        setError(error, opensslError(encrypt ? "SM4-CBC encryption failed"
                                             : "SM4-CBC decryption failed (bad padding?)"));
        return std::nullopt;
    }
    out.truncate(len1 + len2);
    return out;
}

std::optional<QByteArray> Crypto::sm4CbcEncrypt(QByteArrayView key, QByteArrayView iv,
                                                QByteArrayView plain, Padding padding,
                                                QString *error)
{
    return sm4Cbc(true, key, iv, plain, padding, error);
}

std::optional<QByteArray> Crypto::sm4CbcDecrypt(QByteArrayView key, QByteArrayView iv,
                                                QByteArrayView cipher, Padding padding,
                                                QString *error)
{
    return sm4Cbc(false, key, iv, cipher, padding, error);
}

static QByteArray sealTag(QByteArrayView macKey, QByteArrayView aad, QByteArrayView ivAndCipher)
{
    QByteArray input;
    input.reserve(4 + aad.size() + ivAndCipher.size());
    const quint32 n = quint32(aad.size());
    input.append(char(n >> 24)).append(char(n >> 16)).append(char(n >> 8)).append(char(n));
    input.append(aad.data(), aad.size());
    input.append(ivAndCipher.data(), ivAndCipher.size());
    return Crypto::hmacSm3(macKey, input);
}

std::optional<QByteArray> Crypto::sm4Seal(QByteArrayView key32, QByteArrayView plain,
                                          QByteArrayView aad, QString *error)
{
    if (key32.size() != 32) {
        setError(error, QStringLiteral("sealing key must be 32 bytes"));
        return std::nullopt;
    }
    const QByteArray iv = randomBytes(16);
    if (iv.size() != 16) {
        setError(error, QStringLiteral("no random IV"));
        return std::nullopt;
    }
    auto cipher = sm4CbcEncrypt(key32.first(16), iv, plain, Padding::Pkcs7, error);
    if (!cipher)
        return std::nullopt;
    QByteArray out = iv + *cipher;
    out += sealTag(key32.sliced(16), aad, out);
    return out;
}

std::optional<QByteArray> Crypto::sm4Open(QByteArrayView key32, QByteArrayView sealed,
                                          QByteArrayView aad, QString *error)
{
    if (key32.size() != 32) {
        setError(error, QStringLiteral("sealing key must be 32 bytes"));
        return std::nullopt;
    }
    if (sealed.size() < 16 + 16 + 32 || (sealed.size() - 32) % 16 != 0) {
        setError(error, QStringLiteral("sealed data has an impossible length"));
        return std::nullopt;
    }
    const QByteArrayView body = sealed.first(sealed.size() - 32);
    const QByteArrayView tag = sealed.last(32);
    if (!constantTimeEquals(sealTag(key32.sliced(16), aad, body), tag)) {
        setError(error, QStringLiteral("authentication tag mismatch"));
        return std::nullopt;
    }
    return sm4CbcDecrypt(key32.first(16), body.first(16), body.sliced(16), Padding::Pkcs7, error);
}

// ---------------------------------------------------------------- signatures

namespace {

// Prepares a digest sign/verify context. For SM2 the distinguishing ID must be on the
// EVP_PKEY_CTX before the DigestSign/VerifyInit call, which then adopts that context.
// The returned pkey context must outlive the md context and is freed by the caller.
bool initSigner(const Key &key, bool sign, QByteArrayView sm2Id, MdCtxPtr &md, PkeyCtxPtr &pctx)
{
    md.reset(EVP_MD_CTX_new());
    if (!md)
        return false;
    if (key.type() == KeyType::Ed25519) {
        return sign ? EVP_DigestSignInit(md.get(), nullptr, nullptr, nullptr, key.handle()) == 1
                    : EVP_DigestVerifyInit(md.get(), nullptr, nullptr, nullptr, key.handle()) == 1;
    }
    pctx.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, key.handle(), nullptr));
    if (!pctx || EVP_PKEY_CTX_set1_id(pctx.get(), sm2Id.data(), size_t(sm2Id.size())) != 1)
        return false;
    EVP_MD_CTX_set_pkey_ctx(md.get(), pctx.get());
    return sign ? EVP_DigestSignInit(md.get(), nullptr, EVP_sm3(), nullptr, key.handle()) == 1
                : EVP_DigestVerifyInit(md.get(), nullptr, EVP_sm3(), nullptr, key.handle()) == 1;
}

} // namespace

std::optional<QByteArray> Crypto::sign(const Key &key, QByteArrayView message, QString *error,
                                       QByteArrayView sm2Id)
{
    if (key.isNull() || !key.hasPrivate()) {
        setError(error, QStringLiteral("signing needs a private key"));
        return std::nullopt;
    }
    PkeyCtxPtr pctx;
    MdCtxPtr md;
    if (!initSigner(key, true, sm2Id, md, pctx)) {
        setError(error, opensslError("signature init failed"));
        return std::nullopt;
    }
    size_t len = 0;
    if (EVP_DigestSign(md.get(), nullptr, &len, bytes(message), size_t(message.size())) != 1) {
        setError(error, opensslError("signature size query failed"));
        return std::nullopt;
    }
    QByteArray sig(qsizetype(len), Qt::Uninitialized);
    if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char *>(sig.data()), &len,
                       bytes(message), size_t(message.size())) != 1) {
        setError(error, opensslError("signing failed"));
        return std::nullopt;
    }
    sig.truncate(qsizetype(len));
    md.reset(); // before pctx: md borrows it
    return sig;
}

bool Crypto::verify(const Key &key, QByteArrayView message, QByteArrayView signature,
                    QByteArrayView sm2Id)
{
    if (key.isNull() || signature.isEmpty())
        return false;
    PkeyCtxPtr pctx;
    MdCtxPtr md;
    bool ok = initSigner(key, false, sm2Id, md, pctx)
        && EVP_DigestVerify(md.get(), bytes(signature), size_t(signature.size()), bytes(message),
                            size_t(message.size()))
            == 1;
    md.reset();
    ERR_clear_error(); // a failed verification is an answer, not an error to keep around
    return ok;
}

QByteArray Crypto::sm2SignatureFromRs(QByteArrayView r32, QByteArrayView s32)
{
    std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> sig(ECDSA_SIG_new());
    BIGNUM *r = BN_bin2bn(bytes(r32), int(r32.size()), nullptr);
    BIGNUM *s = BN_bin2bn(bytes(s32), int(s32.size()), nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return {};
    }
    unsigned char *der = nullptr;
    const int len = i2d_ECDSA_SIG(sig.get(), &der);
    if (len <= 0)
        return {};
    QByteArray out(reinterpret_cast<const char *>(der), len);
    OPENSSL_free(der);
    return out;
}

std::optional<std::pair<QByteArray, QByteArray>> Crypto::sm2SignatureToRs(QByteArrayView der)
{
    const unsigned char *p = bytes(der);
    std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> sig(d2i_ECDSA_SIG(nullptr, &p, long(der.size())));
    if (!sig || p != bytes(der) + der.size()) {
        ERR_clear_error();
        return std::nullopt;
    }
    QByteArray r(32, Qt::Uninitialized);
    QByteArray s(32, Qt::Uninitialized);
    if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), reinterpret_cast<unsigned char *>(r.data()), 32) != 32
        || BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), reinterpret_cast<unsigned char *>(s.data()), 32) != 32)
        return std::nullopt;
    return std::make_pair(r, s);
}

// ---------------------------------------------------------------- SM2 encryption

static std::optional<QByteArray> sm2Crypt(bool encrypt, const Key &key, QByteArrayView in,
                                          QString *error)
{
    if (key.isNull() || key.type() != KeyType::Sm2 || (!encrypt && !key.hasPrivate())) {
        setError(error, QStringLiteral("SM2 encryption needs an SM2 key (private to decrypt)"));
        return std::nullopt;
    }
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.handle(), nullptr));
    const int init = !ctx ? 0 : encrypt ? EVP_PKEY_encrypt_init(ctx.get()) : EVP_PKEY_decrypt_init(ctx.get());
    size_t len = 0;
    auto run = [&](unsigned char *out) {
        return encrypt ? EVP_PKEY_encrypt(ctx.get(), out, &len, bytes(in), size_t(in.size()))
                       : EVP_PKEY_decrypt(ctx.get(), out, &len, bytes(in), size_t(in.size()));
    };
    if (init != 1 || run(nullptr) != 1) {
        setError(error, opensslError(encrypt ? "SM2 encrypt init failed" : "SM2 decrypt init failed"));
        return std::nullopt;
    }
    QByteArray out(qsizetype(len), Qt::Uninitialized);
    if (run(reinterpret_cast<unsigned char *>(out.data())) != 1) {
        setError(error, opensslError(encrypt ? "SM2 encryption failed" : "SM2 decryption failed"));
        return std::nullopt;
    }
    out.truncate(qsizetype(len));
    return out;
}

std::optional<QByteArray> Crypto::sm2Encrypt(const Key &publicKey, QByteArrayView plain, QString *error)
{
    return sm2Crypt(true, publicKey, plain, error);
}

std::optional<QByteArray> Crypto::sm2Decrypt(const Key &privateKey, QByteArrayView cipher, QString *error)
{
    return sm2Crypt(false, privateKey, cipher, error);
}

// ---------------------------------------------------------------- PBKDF2, files

QByteArray Crypto::pbkdf2Sha256(QByteArrayView password, QByteArrayView salt, int iterations,
                                int length)
{
    QByteArray out(length, Qt::Uninitialized);
    if (iterations < 1 || length < 1
        || PKCS5_PBKDF2_HMAC(reinterpret_cast<const char *>(bytes(password)), int(password.size()),
                             bytes(salt), int(salt.size()), iterations, EVP_sha256(), length,
                             reinterpret_cast<unsigned char *>(out.data()))
            != 1)
        return {};
    return out;
}

bool Crypto::writePrivateFile(const QString &path, QByteArrayView data, bool overwrite,
                              QString *error)
{
    const QByteArray target = QFile::encodeName(path);
    const QByteArray dir = QFile::encodeName(QFileInfo(path).absolutePath());
    QByteArray tmpl = target + ".tmp-XXXXXX";
    const int fd = mkstemp(tmpl.data()); // creates the file with mode 0600
    if (fd < 0) {
        setError(error, QStringLiteral("cannot create %1: %2").arg(path, QString::fromLocal8Bit(strerror(errno))));
        return false;
    }
    bool ok = fchmod(fd, S_IRUSR | S_IWUSR) == 0;
    qsizetype done = 0;
    while (ok && done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        done += ok ? n : 0;
    }
    ok = ok && fsync(fd) == 0;
    const int savedErrno = errno;
    ::close(fd);
    if (ok) {
        // link() refuses an existing target atomically; rename() replaces atomically.
        ok = overwrite ? ::rename(tmpl.constData(), target.constData()) == 0
                       : ::link(tmpl.constData(), target.constData()) == 0;
    }
    const int finalErrno = ok ? 0 : (errno ? errno : savedErrno);
    ::unlink(tmpl.constData()); // no-op after a successful rename
    if (!ok) {
        setError(error, QStringLiteral("cannot write %1: %2").arg(path, QString::fromLocal8Bit(strerror(finalErrno))));
        return false;
    }
    const int dfd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        ::close(dfd);
    }
    return true;
}

} // namespace hcp::trust
