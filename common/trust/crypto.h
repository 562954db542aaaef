// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>
#include <optional>

// Opaque OpenSSL type; callers of this header never need OpenSSL headers.
typedef struct evp_pkey_st EVP_PKEY;

namespace hcp::trust {

enum class KeyType {
    Sm2,     // GB/T 32918 on the SM2 recommended curve, SM3 digest, DER (r,s) signatures
    Ed25519, // RFC 8032 pure Ed25519, 64-byte signatures
};

// An asymmetric key (private+public, or public only). Cheap to copy: copies share one
// immutable EVP_PKEY. Thread-safe for concurrent signing/verifying (OpenSSL 3 keys are
// read-only after construction).
class Key
{
public:
    Key() = default;

    static Key generate(KeyType type);
    // Accepts "PRIVATE KEY" (PKCS#8) or "PUBLIC KEY" (SubjectPublicKeyInfo) PEM. An EC key on
    // the SM2 curve is always returned as an SM2 key. Other key types are refused.
    static Key fromPem(QByteArrayView pem, QString *error = nullptr);
    // SM2 public key from the uncompressed point 04||X||Y (65 bytes).
    static Key sm2PublicFromPoint(QByteArrayView point65, QString *error = nullptr);

    bool isNull() const { return !m_pkey; }
    bool hasPrivate() const { return m_hasPrivate; }
    KeyType type() const { return m_type; }

    QByteArray privatePem() const; // PKCS#8, unencrypted; empty if no private part
    QByteArray publicPem() const;  // SubjectPublicKeyInfo
    QByteArray publicDer() const;  // SubjectPublicKeyInfo DER (input of fingerprints)
    Key publicOnly() const;

    EVP_PKEY *handle() const { return m_pkey.get(); } // borrowed; owned by this Key

private:
    std::shared_ptr<EVP_PKEY> m_pkey;
    KeyType m_type = KeyType::Sm2;
    bool m_hasPrivate = false;
};

// Stateless wrapper over OpenSSL 3 EVP. All functions are thread-safe. Binary in, binary
// out (QByteArray); hex is the caller's business. Fallible operations return an empty
// std::optional and, if given, set *error to an English diagnostic (not user-visible).
class Crypto
{
public:
    // GM/T 0009 default distinguishing ID used for every SM2 signature in this project.
    static constexpr QByteArrayView kSm2DefaultId = "1234567812345678";

    static QByteArray sm3(QByteArrayView data);    // 32 bytes
    static QByteArray sha256(QByteArrayView data); // 32 bytes
    static QByteArray hmacSm3(QByteArrayView key, QByteArrayView data);
    static QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);
    static QByteArray randomBytes(int count); // CSPRNG (RAND_bytes); aborts never, empty on failure
    static bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

    enum class Padding { Pkcs7, None };
    // SM4-CBC. key and iv are 16 bytes. With Padding::None the input must be a multiple of 16.
    static std::optional<QByteArray> sm4CbcEncrypt(QByteArrayView key, QByteArrayView iv,
                                                   QByteArrayView plain,
                                                   Padding padding = Padding::Pkcs7,
                                                   QString *error = nullptr);
    static std::optional<QByteArray> sm4CbcDecrypt(QByteArrayView key, QByteArrayView iv,
                                                   QByteArrayView cipher,
                                                   Padding padding = Padding::Pkcs7,
                                                   QString *error = nullptr);

    // Authenticated encryption. Debian 12's OpenSSL 3.0 has no SM4-GCM, so this is
    // SM4-CBC + HMAC-SM3, encrypt-then-MAC. key: 32 bytes = SM4 key (16) || MAC key (16).
    // Output: iv(16) || ciphertext || tag(32), tag = HMAC-SM3(macKey, u32be(len(aad)) || aad
    // || iv || ciphertext). open() checks the tag in constant time before decrypting.
    static std::optional<QByteArray> sm4Seal(QByteArrayView key32, QByteArrayView plain,
                                             QByteArrayView aad = {}, QString *error = nullptr);
    static std::optional<QByteArray> sm4Open(QByteArrayView key32, QByteArrayView sealed,
                                             QByteArrayView aad = {}, QString *error = nullptr);

    // SM2: message is hashed as SM3(Z_A || message) with id (default 1234567812345678);
    // the signature is DER SEQUENCE{r, s}. Ed25519: pure, id ignored.
    static std::optional<QByteArray> sign(const Key &key, QByteArrayView message,
                                          QString *error = nullptr,
                                          QByteArrayView sm2Id = kSm2DefaultId);
    static bool verify(const Key &key, QByteArrayView message, QByteArrayView signature,
                       QByteArrayView sm2Id = kSm2DefaultId);

    // Conversions between SM2 DER signatures and raw 32-byte big-endian r and s.
    static QByteArray sm2SignatureFromRs(QByteArrayView r32, QByteArrayView s32);
    static std::optional<std::pair<QByteArray, QByteArray>> sm2SignatureToRs(QByteArrayView der);

    // SM2 public-key encryption (GM/T 0009 ASN.1 form C1,C3,C2 as OpenSSL emits it).
    static std::optional<QByteArray> sm2Encrypt(const Key &publicKey, QByteArrayView plain,
                                                QString *error = nullptr);
    static std::optional<QByteArray> sm2Decrypt(const Key &privateKey, QByteArrayView cipher,
                                                QString *error = nullptr);

    // PBKDF2-HMAC-SHA256 (RFC 8018). iterations >= 1.
    static QByteArray pbkdf2Sha256(QByteArrayView password, QByteArrayView salt, int iterations,
                                   int length);

    // Writes bytes to path atomically (temp file in the same directory, fsync, rename, fsync
    // of the directory). The file is created with mode 0600 before any byte is written, so
    // no other user ever sees the content. Refuses to replace an existing file unless
    // overwrite is true.
    static bool writePrivateFile(const QString &path, QByteArrayView bytes, bool overwrite,
                                 QString *error = nullptr);
};

} // namespace hcp::trust
