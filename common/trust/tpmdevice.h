// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>
#include <mutex>
#include <optional>

// tpm2-tss type (tss2_tpm2_types.h); only the implementation includes the TSS headers.
struct TPM2B_PUBLIC;

namespace hcp::trust {

// A TPM 2.0 reached through a tpm2-tss TCTI ("device:/dev/tpmrm0", "swtpm:host=127.0.0.1,port=2321").
// It holds the kiosk's attestation key and its monotonic counter:
//  - the signing key is an ECDSA P-256 key created inside the TPM under the owner storage
//    primary (SRK, re-derived from the TPM's owner seed on every start) with fixedTPM and
//    fixedParent; what leaves the TPM is only its public half and the TPM-wrapped private blob
//    (saved in the identity directory), which no other TPM can load. SM2 is an optional TPM
//    algorithm that swtpm and most discrete TPMs do not offer, so this key is ECDSA/SHA-256.
//  - an NV index of type counter (TPM2_NT_COUNTER): it can only be incremented; undefining
//    and redefining it does not rewind it (a new counter starts at the highest value any
//    counter of that TPM has had, TPM 2.0 Part 1 §37.2.5).
//  - identity(): lowercase hex SHA-256 of the endorsement primary key's public point (the
//    standard TCG ECC EK template, L-2). It survives wiping the kiosk's disk, so the hub
//    recognises the TPM after a re-enrollment.
// One ESAPI context; all calls are serialised by a mutex (ESAPI is not thread-safe).
class TpmDevice
{
public:
    static constexpr quint32 kDefaultCounterIndex = 0x01484350; // "HCP" in the owner NV range

    // Connects and starts (TPM2_Startup(CLEAR) when the TPM says it is not initialised).
    static std::unique_ptr<TpmDevice> open(const QString &tcti, QString *error = nullptr);
    ~TpmDevice();
    TpmDevice(const TpmDevice &) = delete;
    TpmDevice &operator=(const TpmDevice &) = delete;

    QString tcti() const { return m_tcti; }

    // Loads the signing key from blobPath (written by an earlier call on this TPM), or creates
    // it and writes the blob (mode 0600, refusing to replace a file). A blob from another TPM
    // fails to load: the caller must not silently make a new key over it.
    bool loadOrCreateSigningKey(const QString &blobPath, QString *error = nullptr);
    bool hasSigningKey() const { return !m_publicDer.isEmpty(); }
    // SubjectPublicKeyInfo DER of the signing key (prime256v1), and its SHA-256 in hex.
    QByteArray publicKeyDer() const { return m_publicDer; }
    QString keyFingerprint() const;

    // ECDSA P-256 over SHA-256(message), DER SEQUENCE{r, s}; verify() checks it in software.
    std::optional<QByteArray> sign(QByteArrayView message, QString *error = nullptr);
    static bool verify(QByteArrayView publicKeyDer, QByteArrayView message, QByteArrayView signature);

    // An HMAC-SHA256 key in the TPM (fixedTPM, wrapped blob as for the signing key). keyIfNew
    // empty: the TPM generates it; else those bytes become the key (imported once, e.g. the
    // hub's ID-hash key) and the caller should wipe its copy. The TPM has no SM3 (swtpm lists
    // none), so this is HMAC-SHA256, not the hub's HMAC-SM3.
    bool loadOrCreateHmacKey(const QString &blobPath, QByteArrayView keyIfNew = {}, QString *error = nullptr);
    // At most 1024 bytes of input (TPM2B_MAX_BUFFER).
    std::optional<QByteArray> hmacSha256(QByteArrayView data, QString *error = nullptr);

    // The NV counter: defines it at index when absent (and gives it its first increment).
    bool ensureCounter(quint32 index = kDefaultCounterIndex, QString *error = nullptr);
    std::optional<quint64> readCounter(QString *error = nullptr);
    // Increments by one and returns the new value.
    std::optional<quint64> incrementCounter(QString *error = nullptr);

    QString identity() const { return m_identity; }

private:
    struct Impl;
    explicit TpmDevice(std::unique_ptr<Impl> impl, QString tcti);

    bool ensurePrimary(QString *error);
    // Caller holds m_mutex. Returns the loaded ESYS_TR.
    std::optional<quint32> loadOrCreateObject(const QString &blobPath, const ::TPM2B_PUBLIC &tmpl,
                                              QByteArrayView secret, ::TPM2B_PUBLIC *loadedPublic,
                                              QString *error);
    bool computeIdentity(QString *error);
    // Caller holds m_mutex.
    std::optional<quint64> counterOp(bool increment, QString *error);

    std::unique_ptr<Impl> m_impl;
    QString m_tcti;
    QByteArray m_publicDer;
    QString m_identity;
    mutable std::mutex m_mutex;
};

} // namespace hcp::trust
