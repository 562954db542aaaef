// SPDX-License-Identifier: Apache-2.0
#include "tpmdevice.h"

#include "crypto.h"
#include "tpmattestation.h"

#include <QFile>
#include <QLoggingCategory>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>

#include <cstring>

Q_LOGGING_CATEGORY(lcTpm, "hcp.trust.tpm")

namespace hcp::trust {

namespace {

constexpr QByteArrayView kBlobMagic = "HCP-TPM-KEY-V1\n";

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

QString rcText(const char *what, TSS2_RC rc)
{
    return QStringLiteral("%1: %2").arg(QLatin1String(what), QString::fromLatin1(Tss2_RC_Decode(rc)));
}

template<typename T>
struct EsysFree { void operator()(T *p) const { Esys_Free(p); } };
template<typename T>
using EsysPtr = std::unique_ptr<T, EsysFree<T>>;

// TCG EK Credential Profile 2.x, template L-2 (ECC NIST P-256): the EK every TPM derives
// from its endorsement seed; its public point names the TPM.
TPM2B_PUBLIC ekTemplate()
{
    static const unsigned char policy[32] = {
        0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xB3, 0xF8, 0x1A, 0x90, 0xCC, 0x8D, 0x46, 0xA5, 0xD7, 0x24,
        0xFD, 0x52, 0xD7, 0x6E, 0x06, 0x52, 0x0B, 0x64, 0xF2, 0xA1, 0xDA, 0x1B, 0x33, 0x14, 0x69, 0xAA};
    TPM2B_PUBLIC t {};
    t.publicArea.type = TPM2_ALG_ECC;
    t.publicArea.nameAlg = TPM2_ALG_SHA256;
    t.publicArea.objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT
        | TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_ADMINWITHPOLICY | TPMA_OBJECT_RESTRICTED
        | TPMA_OBJECT_DECRYPT;
    t.publicArea.authPolicy.size = sizeof policy;
    std::memcpy(t.publicArea.authPolicy.buffer, policy, sizeof policy);
    auto &ecc = t.publicArea.parameters.eccDetail;
    ecc.symmetric.algorithm = TPM2_ALG_AES;
    ecc.symmetric.keyBits.aes = 128;
    ecc.symmetric.mode.aes = TPM2_ALG_CFB;
    ecc.scheme.scheme = TPM2_ALG_NULL;
    ecc.curveID = TPM2_ECC_NIST_P256;
    ecc.kdf.scheme = TPM2_ALG_NULL;
    t.publicArea.unique.ecc.x.size = 32;
    t.publicArea.unique.ecc.y.size = 32;
    return t;
}

// TCG TPM v2.0 Provisioning Guidance: the ECC P-256 storage root key template.
TPM2B_PUBLIC srkTemplate()
{
    TPM2B_PUBLIC t = ekTemplate();
    t.publicArea.objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT
        | TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_NODA
        | TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT;
    t.publicArea.authPolicy.size = 0;
    return t;
}

// The attestation key: unrestricted ECDSA/SHA-256 signing key that never leaves this TPM.
TPM2B_PUBLIC signingKeyTemplate()
{
    TPM2B_PUBLIC t {};
    t.publicArea.type = TPM2_ALG_ECC;
    t.publicArea.nameAlg = TPM2_ALG_SHA256;
    t.publicArea.objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT
        | TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_NODA
        | TPMA_OBJECT_SIGN_ENCRYPT;
    auto &ecc = t.publicArea.parameters.eccDetail;
    ecc.symmetric.algorithm = TPM2_ALG_NULL;
    ecc.scheme.scheme = TPM2_ALG_ECDSA;
    ecc.scheme.details.ecdsa.hashAlg = TPM2_ALG_SHA256;
    ecc.curveID = TPM2_ECC_NIST_P256;
    ecc.kdf.scheme = TPM2_ALG_NULL;
    return t;
}

// HMAC-SHA256 key (keyed hash); imported: the caller gives the key bytes once (e.g. the hub's
// key of the ID-number hash) and afterwards only this TPM can use them.
TPM2B_PUBLIC hmacKeyTemplate(bool imported)
{
    TPM2B_PUBLIC t {};
    t.publicArea.type = TPM2_ALG_KEYEDHASH;
    t.publicArea.nameAlg = TPM2_ALG_SHA256;
    t.publicArea.objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_USERWITHAUTH
        | TPMA_OBJECT_NODA | TPMA_OBJECT_SIGN_ENCRYPT | (imported ? 0 : TPMA_OBJECT_SENSITIVEDATAORIGIN);
    t.publicArea.parameters.keyedHashDetail.scheme.scheme = TPM2_ALG_HMAC;
    t.publicArea.parameters.keyedHashDetail.scheme.details.hmac.hashAlg = TPM2_ALG_SHA256;
    return t;
}

QByteArray pointOf(const TPM2B_PUBLIC &pub)
{
    const auto &p = pub.publicArea.unique.ecc;
    QByteArray out(1, '\x04');
    out += QByteArray(32 - qMin<int>(32, p.x.size), '\0');
    out += QByteArray(reinterpret_cast<const char *>(p.x.buffer), p.x.size);
    out += QByteArray(32 - qMin<int>(32, p.y.size), '\0');
    out += QByteArray(reinterpret_cast<const char *>(p.y.buffer), p.y.size);
    return out;
}

// SubjectPublicKeyInfo DER of a prime256v1 point 04||X||Y.
QByteArray p256SpkiDer(const QByteArray &point)
{
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.constData(), size_t(point.size()));
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    EVP_PKEY *pkey = nullptr;
    QByteArray der;
    if (params && ctx && EVP_PKEY_fromdata_init(ctx) == 1
        && EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1) {
        unsigned char *out = nullptr;
        const int len = i2d_PUBKEY(pkey, &out);
        if (len > 0)
            der = QByteArray(reinterpret_cast<const char *>(out), len);
        OPENSSL_free(out);
    }
    EVP_PKEY_free(pkey);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return der;
}

} // namespace

struct TpmDevice::Impl
{
    TSS2_TCTI_CONTEXT *tcti = nullptr;
    ESYS_CONTEXT *esys = nullptr;
    ESYS_TR primary = ESYS_TR_NONE;
    ESYS_TR key = ESYS_TR_NONE;
    ESYS_TR hmacKey = ESYS_TR_NONE;
    ESYS_TR counter = ESYS_TR_NONE;

    ~Impl()
    {
        if (esys) {
            if (key != ESYS_TR_NONE)
                Esys_FlushContext(esys, key);
            if (hmacKey != ESYS_TR_NONE)
                Esys_FlushContext(esys, hmacKey);
            if (primary != ESYS_TR_NONE)
                Esys_FlushContext(esys, primary);
            Esys_Finalize(&esys);
        }
        if (tcti)
            Tss2_TctiLdr_Finalize(&tcti);
    }

    // Creates a primary key in hierarchy from tmpl; the caller flushes it.
    TSS2_RC createPrimary(ESYS_TR hierarchy, const TPM2B_PUBLIC &tmpl, ESYS_TR *handle,
                          EsysPtr<TPM2B_PUBLIC> *outPublic)
    {
        TPM2B_SENSITIVE_CREATE sensitive {};
        TPM2B_DATA outside {};
        TPML_PCR_SELECTION pcrs {};
        TPM2B_PUBLIC *pub = nullptr;
        TPM2B_CREATION_DATA *creationData = nullptr;
        TPM2B_DIGEST *creationHash = nullptr;
        TPMT_TK_CREATION *ticket = nullptr;
        const TSS2_RC rc = Esys_CreatePrimary(esys, hierarchy, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
                                              &sensitive, &tmpl, &outside, &pcrs, handle, &pub,
                                              &creationData, &creationHash, &ticket);
        Esys_Free(creationData);
        Esys_Free(creationHash);
        Esys_Free(ticket);
        if (outPublic)
            outPublic->reset(pub);
        else
            Esys_Free(pub);
        return rc;
    }
};

TpmDevice::TpmDevice(std::unique_ptr<Impl> impl, QString tcti)
    : m_impl(std::move(impl))
    , m_tcti(std::move(tcti))
{
}

TpmDevice::~TpmDevice() = default;

std::unique_ptr<TpmDevice> TpmDevice::open(const QString &tcti, QString *error)
{
    auto impl = std::make_unique<Impl>();
    const QByteArray conf = tcti.toUtf8();
    TSS2_RC rc = Tss2_TctiLdr_Initialize(conf.constData(), &impl->tcti);
    if (rc != TSS2_RC_SUCCESS) {
        setError(error, rcText("cannot load TCTI", rc) + QLatin1Char(' ') + tcti);
        return nullptr;
    }
    rc = Esys_Initialize(&impl->esys, impl->tcti, nullptr);
    if (rc != TSS2_RC_SUCCESS) {
        setError(error, rcText("Esys_Initialize", rc));
        return nullptr;
    }
    rc = Esys_Startup(impl->esys, TPM2_SU_CLEAR);
    if (rc != TSS2_RC_SUCCESS && rc != TPM2_RC_INITIALIZE) {
        setError(error, rcText("TPM2_Startup", rc));
        return nullptr;
    }
    std::unique_ptr<TpmDevice> device(new TpmDevice(std::move(impl), tcti));
    if (!device->computeIdentity(error))
        return nullptr;
    qCInfo(lcTpm).noquote() << "TPM" << tcti << "identity" << device->m_identity;
    return device;
}

bool TpmDevice::computeIdentity(QString *error)
{
    ESYS_TR ek = ESYS_TR_NONE;
    EsysPtr<TPM2B_PUBLIC> pub;
    const TSS2_RC rc = m_impl->createPrimary(ESYS_TR_RH_ENDORSEMENT, ekTemplate(), &ek, &pub);
    if (rc != TSS2_RC_SUCCESS) {
        setError(error, rcText("cannot derive the endorsement key", rc));
        return false;
    }
    Esys_FlushContext(m_impl->esys, ek);
    m_identity = QString::fromLatin1(Crypto::sha256(pointOf(*pub)).toHex());
    return true;
}

bool TpmDevice::ensurePrimary(QString *error)
{
    if (m_impl->primary != ESYS_TR_NONE)
        return true;
    const TSS2_RC rc = m_impl->createPrimary(ESYS_TR_RH_OWNER, srkTemplate(), &m_impl->primary, nullptr);
    if (rc != TSS2_RC_SUCCESS) {
        m_impl->primary = ESYS_TR_NONE;
        setError(error, rcText("cannot derive the storage primary key", rc));
        return false;
    }
    return true;
}

// Loads the object in blobPath under the storage primary, or creates it from tmpl (with
// secret as its sensitive data when given) and writes the blob first. Caller holds m_mutex.
std::optional<quint32> TpmDevice::loadOrCreateObject(const QString &blobPath, const TPM2B_PUBLIC &tmpl,
                                                     QByteArrayView secret, TPM2B_PUBLIC *loadedPublic,
                                                     QString *error)
{
    if (!ensurePrimary(error))
        return std::nullopt;
    TPM2B_PUBLIC pub {};
    TPM2B_PRIVATE priv {};
    QFile file(blobPath);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly)) {
            setError(error, QStringLiteral("cannot read TPM key blob %1").arg(blobPath));
            return std::nullopt;
        }
        const QByteArray blob = file.read(16 * 1024);
        size_t offset = size_t(kBlobMagic.size());
        const auto *data = reinterpret_cast<const uint8_t *>(blob.constData());
        if (!blob.startsWith(kBlobMagic)
            || Tss2_MU_TPM2B_PUBLIC_Unmarshal(data, size_t(blob.size()), &offset, &pub) != TSS2_RC_SUCCESS
            || Tss2_MU_TPM2B_PRIVATE_Unmarshal(data, size_t(blob.size()), &offset, &priv) != TSS2_RC_SUCCESS
            || offset != size_t(blob.size())) {
            setError(error, QStringLiteral("TPM key blob %1 is malformed").arg(blobPath));
            return std::nullopt;
        }
    } else {
        TPM2B_SENSITIVE_CREATE sensitive {};
        if (secret.size() > qsizetype(sizeof sensitive.sensitive.data.buffer)) {
            setError(error, QStringLiteral("key material too long for the TPM"));
            return std::nullopt;
        }
        sensitive.sensitive.data.size = uint16_t(secret.size());
        if (!secret.isEmpty())
            std::memcpy(sensitive.sensitive.data.buffer, secret.data(), size_t(secret.size()));
        TPM2B_DATA outside {};
        TPML_PCR_SELECTION pcrs {};
        TPM2B_PRIVATE *outPrivate = nullptr;
        TPM2B_PUBLIC *outPublic = nullptr;
        TPM2B_CREATION_DATA *creationData = nullptr;
        TPM2B_DIGEST *creationHash = nullptr;
        TPMT_TK_CREATION *ticket = nullptr;
        const TSS2_RC rc = Esys_Create(m_impl->esys, m_impl->primary, ESYS_TR_PASSWORD, ESYS_TR_NONE,
                                       ESYS_TR_NONE, &sensitive, &tmpl, &outside, &pcrs, &outPrivate,
                                       &outPublic, &creationData, &creationHash, &ticket);
        OPENSSL_cleanse(&sensitive, sizeof sensitive);
        Esys_Free(creationData);
        Esys_Free(creationHash);
        Esys_Free(ticket);
        if (rc != TSS2_RC_SUCCESS) {
            setError(error, rcText("cannot create the TPM key", rc));
            return std::nullopt;
        }
        pub = *outPublic;
        priv = *outPrivate;
        Esys_Free(outPublic);
        Esys_Free(outPrivate);
        QByteArray blob(kBlobMagic.data(), kBlobMagic.size());
        QByteArray buffer(int(sizeof(TPM2B_PUBLIC) + sizeof(TPM2B_PRIVATE)), '\0');
        size_t offset = 0;
        auto *out = reinterpret_cast<uint8_t *>(buffer.data());
        if (Tss2_MU_TPM2B_PUBLIC_Marshal(&pub, out, size_t(buffer.size()), &offset) != TSS2_RC_SUCCESS
            || Tss2_MU_TPM2B_PRIVATE_Marshal(&priv, out, size_t(buffer.size()), &offset) != TSS2_RC_SUCCESS) {
            setError(error, QStringLiteral("cannot marshal the TPM key blob"));
            return std::nullopt;
        }
        blob += buffer.left(qsizetype(offset));
        if (!Crypto::writePrivateFile(blobPath, blob, false, error))
            return std::nullopt;
        qCInfo(lcTpm).noquote() << "created TPM key" << blobPath;
    }
    // The blob is root's to edit: insist on the attributes that keep the key in this TPM.
    const TPMA_OBJECT needed = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SIGN_ENCRYPT;
    if ((pub.publicArea.objectAttributes & needed) != needed || pub.publicArea.type != tmpl.publicArea.type
        || (pub.publicArea.type == TPM2_ALG_ECC
            && pub.publicArea.parameters.eccDetail.curveID != tmpl.publicArea.parameters.eccDetail.curveID)) {
        setError(error, QStringLiteral("TPM key blob %1 is not a fixedTPM key of the expected kind").arg(blobPath));
        return std::nullopt;
    }
    ESYS_TR handle = ESYS_TR_NONE;
    const TSS2_RC rc = Esys_Load(m_impl->esys, m_impl->primary, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
                                 &priv, &pub, &handle);
    if (rc != TSS2_RC_SUCCESS) {
        setError(error, rcText("this TPM cannot load the key blob (made by another TPM?)", rc));
        return std::nullopt;
    }
    if (loadedPublic)
        *loadedPublic = pub;
    return quint32(handle);
}

bool TpmDevice::loadOrCreateSigningKey(const QString &blobPath, QString *error)
{
    std::lock_guard lock(m_mutex);
    TPM2B_PUBLIC pub {};
    const auto handle = loadOrCreateObject(blobPath, signingKeyTemplate(), {}, &pub, error);
    if (!handle)
        return false;
    if (pub.publicArea.objectAttributes & TPMA_OBJECT_SENSITIVEDATAORIGIN) {
        if (m_impl->key != ESYS_TR_NONE)
            Esys_FlushContext(m_impl->esys, m_impl->key);
        m_impl->key = *handle;
        m_publicDer = p256SpkiDer(pointOf(pub));
        return !m_publicDer.isEmpty();
    }
    Esys_FlushContext(m_impl->esys, *handle);
    setError(error, QStringLiteral("TPM key blob %1 holds a key that was not generated by the TPM").arg(blobPath));
    return false;
}

bool TpmDevice::loadOrCreateHmacKey(const QString &blobPath, QByteArrayView keyIfNew, QString *error)
{
    std::lock_guard lock(m_mutex);
    const auto handle = loadOrCreateObject(blobPath, hmacKeyTemplate(!keyIfNew.isEmpty()), keyIfNew, nullptr, error);
    if (!handle)
        return false;
    if (m_impl->hmacKey != ESYS_TR_NONE)
        Esys_FlushContext(m_impl->esys, m_impl->hmacKey);
    m_impl->hmacKey = *handle;
    return true;
}

std::optional<QByteArray> TpmDevice::hmacSha256(QByteArrayView data, QString *error)
{
    std::lock_guard lock(m_mutex);
    TPM2B_MAX_BUFFER buffer {};
    if (m_impl->hmacKey == ESYS_TR_NONE || data.size() > qsizetype(sizeof buffer.buffer)) {
        setError(error, m_impl->hmacKey == ESYS_TR_NONE ? QStringLiteral("no TPM HMAC key loaded")
                                                        : QStringLiteral("HMAC input too long for the TPM"));
        return std::nullopt;
    }
    buffer.size = uint16_t(data.size());
    if (!data.isEmpty())
        std::memcpy(buffer.buffer, data.data(), size_t(data.size()));
    TPM2B_DIGEST *out = nullptr;
    const TSS2_RC rc = Esys_HMAC(m_impl->esys, m_impl->hmacKey, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
                                 &buffer, TPM2_ALG_SHA256, &out);
    OPENSSL_cleanse(&buffer, sizeof buffer);
    if (rc != TSS2_RC_SUCCESS) {
        setError(error, rcText("TPM2_HMAC", rc));
        return std::nullopt;
    }
    EsysPtr<TPM2B_DIGEST> owned(out);
    return QByteArray(reinterpret_cast<const char *>(out->buffer), out->size);
}

QString TpmDevice::keyFingerprint() const
{
    return m_publicDer.isEmpty() ? QString() : QString::fromLatin1(Crypto::sha256(m_publicDer).toHex());
}

std::optional<QByteArray> TpmDevice::sign(QByteArrayView message, QString *error)
{
    std::lock_guard lock(m_mutex);
    if (m_impl->key == ESYS_TR_NONE) {
        setError(error, QStringLiteral("no TPM signing key loaded"));
        return std::nullopt;
    }
    const QByteArray hash = Crypto::sha256(message);
    TPM2B_DIGEST digest {};
    digest.size = uint16_t(hash.size());
    std::memcpy(digest.buffer, hash.constData(), size_t(hash.size()));
    TPMT_SIG_SCHEME scheme {};
    scheme.scheme = TPM2_ALG_ECDSA;
    scheme.details.ecdsa.hashAlg = TPM2_ALG_SHA256;
    TPMT_TK_HASHCHECK validation {};
    validation.tag = TPM2_ST_HASHCHECK;
    validation.hierarchy = TPM2_RH_NULL;
    TPMT_SIGNATURE *signature = nullptr;
    const TSS2_RC rc = Esys_Sign(m_impl->esys, m_impl->key, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
                                 &digest, &scheme, &validation, &signature);
    if (rc != TSS2_RC_SUCCESS) {
        setError(error, rcText("TPM2_Sign", rc));
        return std::nullopt;
    }
    EsysPtr<TPMT_SIGNATURE> owned(signature);
    const auto &ecdsa = signature->signature.ecdsa;
    // DER SEQUENCE{r, s} is the same encoding for SM2 and ECDSA.
    return Crypto::sm2SignatureFromRs(
        QByteArrayView(reinterpret_cast<const char *>(ecdsa.signatureR.buffer), ecdsa.signatureR.size),
        QByteArrayView(reinterpret_cast<const char *>(ecdsa.signatureS.buffer), ecdsa.signatureS.size));
}

bool TpmDevice::verify(QByteArrayView publicKeyDer, QByteArrayView message, QByteArrayView signature)
{
    return TpmAttestation::verifyP256(publicKeyDer, message, signature);
}

bool TpmDevice::ensureCounter(quint32 index, QString *error)
{
    std::lock_guard lock(m_mutex);
    ESYS_TR nv = ESYS_TR_NONE;
    // Ask whether the index exists first: ESAPI logs a failed lookup as an error.
    TPMS_CAPABILITY_DATA *handles = nullptr;
    TSS2_RC rc = Esys_GetCapability(m_impl->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_HANDLES, index, 1,
                                    nullptr, &handles);
    EsysPtr<TPMS_CAPABILITY_DATA> ownedHandles(handles);
    if (rc != TSS2_RC_SUCCESS) {
        setError(error, rcText("TPM2_GetCapability(handles)", rc));
        return false;
    }
    const bool exists = handles->data.handles.count > 0 && handles->data.handles.handle[0] == index;
    if (exists)
        rc = Esys_TR_FromTPMPublic(m_impl->esys, index, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &nv);
    if (exists && rc == TSS2_RC_SUCCESS) {
        EsysPtr<TPM2B_NV_PUBLIC> pub;
        TPM2B_NV_PUBLIC *raw = nullptr;
        rc = Esys_NV_ReadPublic(m_impl->esys, nv, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &raw, nullptr);
        pub.reset(raw);
        const TPMA_NV type = (raw ? raw->nvPublic.attributes : 0) & TPMA_NV_TPM2_NT_MASK;
        if (rc != TSS2_RC_SUCCESS || type != (TPM2_NT_COUNTER << TPMA_NV_TPM2_NT_SHIFT)) {
            setError(error, QStringLiteral("NV index 0x%1 exists and is not a counter").arg(index, 8, 16, QLatin1Char('0')));
            return false;
        }
        m_impl->counter = nv;
        return true;
    }
    TPM2B_AUTH auth {};
    TPM2B_NV_PUBLIC info {};
    info.nvPublic.nvIndex = index;
    info.nvPublic.nameAlg = TPM2_ALG_SHA256;
    info.nvPublic.attributes = (TPM2_NT_COUNTER << TPMA_NV_TPM2_NT_SHIFT) | TPMA_NV_AUTHWRITE
        | TPMA_NV_AUTHREAD | TPMA_NV_OWNERREAD | TPMA_NV_NO_DA;
    info.nvPublic.dataSize = 8;
    rc = Esys_NV_DefineSpace(m_impl->esys, ESYS_TR_RH_OWNER, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
                             &auth, &info, &nv);
    if (rc != TSS2_RC_SUCCESS) {
        setError(error, rcText("cannot define the NV counter", rc));
        return false;
    }
    // A counter reads as uninitialised until its first increment.
    rc = Esys_NV_Increment(m_impl->esys, nv, nv, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE);
    if (rc != TSS2_RC_SUCCESS) {
        setError(error, rcText("cannot initialise the NV counter", rc));
        return false;
    }
    m_impl->counter = nv;
    qCInfo(lcTpm).noquote() << "defined NV counter" << Qt::hex << index;
    return true;
}

std::optional<quint64> TpmDevice::readCounter(QString *error)
{
    std::lock_guard lock(m_mutex);
    return counterOp(false, error);
}

std::optional<quint64> TpmDevice::incrementCounter(QString *error)
{
    std::lock_guard lock(m_mutex);
    return counterOp(true, error);
}

std::optional<quint64> TpmDevice::counterOp(bool increment, QString *error)
{
    if (m_impl->counter == ESYS_TR_NONE) {
        setError(error, QStringLiteral("no NV counter"));
        return std::nullopt;
    }
    if (increment) {
        const TSS2_RC rc = Esys_NV_Increment(m_impl->esys, m_impl->counter, m_impl->counter, ESYS_TR_PASSWORD,
                                             ESYS_TR_NONE, ESYS_TR_NONE);
        if (rc != TSS2_RC_SUCCESS) {
            setError(error, rcText("TPM2_NV_Increment", rc));
            return std::nullopt;
        }
    }
    TPM2B_MAX_NV_BUFFER *data = nullptr;
    const TSS2_RC rc = Esys_NV_Read(m_impl->esys, m_impl->counter, m_impl->counter, ESYS_TR_PASSWORD,
                                    ESYS_TR_NONE, ESYS_TR_NONE, 8, 0, &data);
    if (rc != TSS2_RC_SUCCESS) {
        setError(error, rcText("TPM2_NV_Read", rc));
        return std::nullopt;
    }
    EsysPtr<TPM2B_MAX_NV_BUFFER> owned(data);
    if (data->size != 8) {
        setError(error, QStringLiteral("NV counter read %1 bytes").arg(data->size));
        return std::nullopt;
    }
    quint64 value = 0;
    for (int i = 0; i < 8; ++i)
        value = (value << 8) | data->buffer[i];
    return value;
}

} // namespace hcp::trust
