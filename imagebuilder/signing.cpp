#include "imagebuilder/signing.h"

#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <system_error>

#include "imagebuilder/base64.h"
#include "imagebuilder/digest.h"
#include "imagebuilder/file_io.h"

namespace ingot::image {
namespace {

constexpr std::size_t kEd25519SignatureSize = 64;
constexpr std::size_t kEd25519KeySize = 32;

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (!e) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

std::string bio_text(BIO* b) {
  char* data = nullptr;
  long n = BIO_get_mem_data(b, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string fingerprint_of(EVP_PKEY* k) {
  std::array<unsigned char, kEd25519KeySize> raw{};
  std::size_t len = raw.size();
  EVP_PKEY_get_raw_public_key(k, raw.data(), &len);
  return sha256(std::string_view(reinterpret_cast<const char*>(raw.data()), len)).hex().substr(0, 16);
}

bool is_ed25519(EVP_PKEY* k) { return EVP_PKEY_get_base_id(k) == EVP_PKEY_ED25519; }

}  // namespace

struct VerifyKey::Impl {
  PkeyPtr key;
};
struct SigningKey::Impl {
  PkeyPtr key;
};

VerifyKey::VerifyKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)), fingerprint_(fingerprint_of(impl_->key.get())) {}
VerifyKey::VerifyKey(VerifyKey&&) noexcept = default;
VerifyKey& VerifyKey::operator=(VerifyKey&&) noexcept = default;
VerifyKey::~VerifyKey() = default;

Result<VerifyKey> VerifyKey::from_pem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return fail("not a PEM public key: " + openssl_error());
  if (!is_ed25519(key.get())) return fail("public key is not Ed25519");
  return VerifyKey(std::make_unique<Impl>(Impl{std::move(key)}));
}

Result<VerifyKey> VerifyKey::load(const std::filesystem::path& pem_file) {
  auto text = read_file_limited(pem_file, kMaxKeyFileBytes);
  if (!text) return fail(text.error());
  auto k = from_pem(*text);
  if (!k) return fail(pem_file.string() + ": " + k.error().message());
  return k;
}

std::string VerifyKey::pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), impl_->key.get());
  return bio_text(bio.get());
}

Result<void> VerifyKey::verify(std::string_view message, std::string_view signature_file) const {
  if (signature_file.size() > kMaxSignatureFileBytes) return fail("signature file is too large");
  auto doc = nlohmann::json::parse(signature_file.begin(), signature_file.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return fail("signature file is not a JSON object");
  auto field = [&](const char* k) -> std::string {
    auto it = doc.find(k);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (field("algorithm") != "ed25519") return fail("signature algorithm is not ed25519");
  if (field("key") != fingerprint_)
    return fail("signature was made with key " + field("key").substr(0, 32) + ", not the trusted key " + fingerprint_);
  auto sig = base64_decode(field("signature"));
  if (!sig || sig->size() != kEd25519SignatureSize) return fail("signature is not 64 bytes of base64");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1)
    return fail("cannot start Ed25519 verification: " + openssl_error());
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size());
  if (rc != 1) {
    ERR_clear_error();
    return fail("signature does not match the manifest (tampered manifest or signature)");
  }
  return ok();
}

SigningKey::SigningKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

Result<SigningKey> SigningKey::generate() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) return fail("Ed25519 key generation failed: " + openssl_error());
  return SigningKey(std::make_unique<Impl>(Impl{std::move(key)}));
}

Result<SigningKey> SigningKey::load(const std::filesystem::path& pem_file) {
  auto text = read_file_limited(pem_file, kMaxKeyFileBytes);
  if (!text) return fail(text.error());
  BioPtr bio(BIO_new_mem_buf(text->data(), static_cast<int>(text->size())));
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return fail(pem_file.string() + ": not a PEM private key: " + openssl_error());
  if (!is_ed25519(key.get())) return fail(pem_file.string() + ": private key is not Ed25519");
  return SigningKey(std::make_unique<Impl>(Impl{std::move(key)}));
}

std::string SigningKey::private_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), impl_->key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(bio.get());
}

VerifyKey SigningKey::public_key() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), impl_->key.get());
  return std::move(VerifyKey::from_pem(bio_text(bio.get())).value());
}

Result<std::string> SigningKey::sign(std::string_view message) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::array<unsigned char, kEd25519SignatureSize> sig{};
  std::size_t len = sig.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig.data(), &len, reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
    return fail("Ed25519 signing failed: " + openssl_error());
  nlohmann::json doc{{"algorithm", "ed25519"},
                     {"key", fingerprint_of(impl_->key.get())},
                     {"signature", base64_encode(std::string_view(reinterpret_cast<const char*>(sig.data()), len))}};
  return doc.dump() + "\n";
}

Result<std::string> generate_key_files(const std::filesystem::path& dir, bool overwrite) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(ec, "cannot create key directory " + dir.string() + ": " + ec.message());
  auto priv = dir / kPrivateKeyFile, pub = dir / kPublicKeyFile;
  if (!overwrite && (std::filesystem::exists(priv) || std::filesystem::exists(pub)))
    return fail(priv.string() + " already exists; refusing to replace a signing key (use --force)");
  auto key = SigningKey::generate();
  if (!key) return fail(key.error());
  if (auto r = write_file_atomic(priv, key->private_pem(), 0600); !r) return fail(r.error());
  auto verify_key = key->public_key();
  if (auto r = write_file_atomic(pub, verify_key.pem(), 0644); !r) return fail(r.error());
  return verify_key.fingerprint();
}

}  // namespace ingot::image
