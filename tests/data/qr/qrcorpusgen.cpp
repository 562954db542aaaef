// SPDX-License-Identifier: Apache-2.0
// hcp-qr-corpusgen OUTDIR [PER_FOLDER] [SEED]
// Writes a synthetic camera-frame corpus for the QR pipeline benchmark: OUTDIR/<folder>/NNN.png
// (640×480 grayscale) plus NNN.txt holding the exact payload; the "empty" folder has frames
// without a code and no .txt. Deterministic for a given seed (cv::RNG). Recipe: README.md.
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr int kW = 640;
constexpr int kH = 480;

std::string randomPayload(cv::RNG &rng)
{
    static const char alnum[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";
    const int kind = rng.uniform(0, 3);
    std::string s;
    if (kind == 0) {
        // Follow-up URL as printed on the kiosk's own receipts.
        s = "https://zwfw.example.gov.cn/hcp/pj?c=";
        const int n = rng.uniform(6, 20);
        for (int i = 0; i < n; ++i)
            s += alnum[rng.uniform(0, int(sizeof(alnum)) - 1)];
    } else if (kind == 1) {
        // 办件编号-style case number on a 受理通知书.
        s = "BJ";
        for (int i = 0; i < 20; ++i)
            s += char('0' + rng.uniform(0, 10));
    } else {
        s = "https://example.gov.cn/case/";
        const int n = rng.uniform(10, 40);
        for (int i = 0; i < n; ++i)
            s += alnum[rng.uniform(0, int(sizeof(alnum)) - 1)];
    }
    return s;
}

// Modules as an 8-bit image: 0 = dark module, 255 = light, with a 4-module quiet zone.
cv::Mat qrModules(const std::string &payload)
{
    ZXing::MultiFormatWriter w(ZXing::BarcodeFormat::QRCode);
    w.setEccLevel(3).setMargin(0);  // ECC M, like the receipts
    const ZXing::BitMatrix m = w.encode(payload, 0, 0);
    const int q = 4;
    cv::Mat img(m.height() + 2 * q, m.width() + 2 * q, CV_8U, cv::Scalar(255));
    for (int y = 0; y < m.height(); ++y)
        for (int x = 0; x < m.width(); ++x)
            if (m.get(x, y))
                img.at<uchar>(y + q, x + q) = 0;
    return img;
}

// Paper-on-desk background: a smooth gradient plus low-frequency texture.
cv::Mat background(cv::RNG &rng)
{
    cv::Mat bg(kH, kW, CV_32F);
    const float base = float(rng.uniform(90, 170));
    const float gx = float(rng.uniform(-60, 60)) / kW;
    const float gy = float(rng.uniform(-60, 60)) / kH;
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x)
            bg.at<float>(y, x) = base + gx * x + gy * y;
    cv::Mat tex(kH / 16, kW / 16, CV_32F);
    rng.fill(tex, cv::RNG::NORMAL, 0, 12);
    cv::resize(tex, tex, bg.size(), 0, 0, cv::INTER_CUBIC);
    bg += tex;
    return bg;
}

struct Placement {
    double modulePx;     // size of one module on the sensor
    double maxTiltDeg;   // in-plane rotation
    double perspective;  // 0..0.3: corner displacement as a fraction of the side
};

// Draws the code (paper white, ink dark) into `frame` with a projective warp.
void placeCode(cv::Mat &frame, const cv::Mat &modules, const Placement &p, float ink, float paper, cv::RNG &rng)
{
    // Render at 8 px/module then let warpPerspective (INTER_AREA-like via supersampling) scale.
    constexpr int ss = 8;
    cv::Mat big;
    cv::resize(modules, big, cv::Size(), ss, ss, cv::INTER_NEAREST);
    cv::Mat src;
    big.convertTo(src, CV_32F, (paper - ink) / 255.0, ink);
    const double side = modules.cols * p.modulePx;
    const double ang = rng.uniform(-p.maxTiltDeg, p.maxTiltDeg) * CV_PI / 180.0;
    const double margin = side * 0.75 + 4;
    const double cx = rng.uniform(margin, std::max(margin + 1, kW - margin));
    const double cy = rng.uniform(margin, std::max(margin + 1, kH - margin));
    std::vector<cv::Point2f> dst;
    const double hs = side / 2;
    const cv::Point2d corners[4] = {{-hs, -hs}, {hs, -hs}, {hs, hs}, {-hs, hs}};
    for (const auto &c : corners) {
        const double jx = rng.uniform(-p.perspective, p.perspective) * side;
        const double jy = rng.uniform(-p.perspective, p.perspective) * side;
        const double x = c.x + jx, y = c.y + jy;
        dst.emplace_back(float(cx + x * std::cos(ang) - y * std::sin(ang)),
                         float(cy + x * std::sin(ang) + y * std::cos(ang)));
    }
    const std::vector<cv::Point2f> srcQuad = {{0, 0}, {float(src.cols), 0}, {float(src.cols), float(src.rows)},
                                              {0, float(src.rows)}};
    const cv::Mat H = cv::getPerspectiveTransform(srcQuad, dst);
    // Pre-blur the supersampled source so the downscaling warp averages instead of aliasing.
    const double k = ss / std::max(0.5, p.modulePx);
    if (k > 1.5)
        cv::GaussianBlur(src, src, cv::Size(), k * 0.4);
    cv::Mat mask(src.size(), CV_32F, cv::Scalar(1));
    cv::Mat warped, wmask;
    cv::warpPerspective(src, warped, H, frame.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
    cv::warpPerspective(mask, wmask, H, frame.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
    frame = frame.mul(1 - wmask) + warped.mul(wmask);
}

void addNoise(cv::Mat &f, double sigma, cv::RNG &rng)
{
    cv::Mat n(f.size(), CV_32F);
    rng.fill(n, cv::RNG::NORMAL, 0, sigma);
    f += n;
}

void addGlare(cv::Mat &f, cv::RNG &rng, double strength)
{
    // A specular highlight: a bright anisotropic Gaussian lobe, clipped by the sensor.
    const double gx = rng.uniform(kW * 0.3, kW * 0.7), gy = rng.uniform(kH * 0.3, kH * 0.7);
    const double sx = rng.uniform(40.0, 110.0), sy = rng.uniform(30.0, 90.0);
    for (int y = 0; y < kH; ++y) {
        float *row = f.ptr<float>(y);
        for (int x = 0; x < kW; ++x) {
            const double dx = (x - gx) / sx, dy = (y - gy) / sy;
            row[x] += float(strength * std::exp(-(dx * dx + dy * dy) / 2));
        }
    }
}

bool writeFrame(const std::filesystem::path &dir, int i, const cv::Mat &f, const std::string *payload)
{
    char name[16];
    std::snprintf(name, sizeof name, "%03d", i);
    cv::Mat out;
    f.convertTo(out, CV_8U);  // saturates to 0..255
    if (!cv::imwrite((dir / (std::string(name) + ".png")).string(), out))
        return false;
    if (payload) {
        std::ofstream t(dir / (std::string(name) + ".txt"), std::ios::binary);
        t << *payload;
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::cerr << "usage: hcp-qr-corpusgen OUTDIR [PER_FOLDER=20] [SEED=20261128]\n";
        return 2;
    }
    const std::filesystem::path out = argv[1];
    const int perFolder = argc > 2 ? std::atoi(argv[2]) : 20;
    const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 20261128ULL;
    cv::RNG rng(seed);
    const char *folders[] = {"clean", "blur", "glare", "lowcontrast", "small", "tilted", "noise", "empty"};
    int written = 0;
    for (const char *folder : folders) {
        const std::string fname = folder;
        const auto dir = out / fname;
        std::filesystem::create_directories(dir);
        for (int i = 0; i < perFolder; ++i) {
            cv::Mat f = background(rng);
            if (fname == "empty") {
                // Clutter that is not a QR: text-like bars and boxes.
                for (int k = 0; k < 12; ++k) {
                    const cv::Point a(rng.uniform(0, kW), rng.uniform(0, kH));
                    const cv::Point b = a + cv::Point(rng.uniform(5, 120), rng.uniform(3, 40));
                    cv::rectangle(f, a, b, cv::Scalar(rng.uniform(20, 230)), cv::FILLED);
                }
                addNoise(f, 4, rng);
                if (!writeFrame(dir, i, f, nullptr))
                    return 1;
                ++written;
                continue;
            }
            const std::string payload = randomPayload(rng);
            const cv::Mat modules = qrModules(payload);
            float ink = float(rng.uniform(10, 50));
            float paper = float(rng.uniform(200, 245));
            Placement p{rng.uniform(3.0, 5.5), 8.0, 0.02};
            if (fname == "small")
                p.modulePx = rng.uniform(1.3, 2.0);
            if (fname == "tilted") {
                p.maxTiltDeg = 45;
                p.perspective = rng.uniform(0.12, 0.22);
            }
            if (fname == "lowcontrast") {
                const float mid = float(rng.uniform(90, 160));
                const float half = float(rng.uniform(6, 12));
                ink = mid - half;
                paper = mid + half;
            }
            placeCode(f, modules, p, ink, paper, rng);
            if (fname == "blur") {
                const double sigma = rng.uniform(0.45, 0.75) * p.modulePx;
                cv::GaussianBlur(f, f, cv::Size(), sigma);
                addNoise(f, 2, rng);
            } else if (fname == "glare") {
                addGlare(f, rng, rng.uniform(170.0, 260.0));
                addNoise(f, 3, rng);
            } else if (fname == "lowcontrast") {
                cv::GaussianBlur(f, f, cv::Size(), 0.6);
                addNoise(f, 3.5, rng);
            } else if (fname == "small") {
                addNoise(f, 3, rng);
            } else if (fname == "tilted") {
                cv::GaussianBlur(f, f, cv::Size(), 0.5);
                addNoise(f, 4, rng);
            } else if (fname == "noise") {
                addNoise(f, rng.uniform(40.0, 65.0), rng);
            } else {
                cv::GaussianBlur(f, f, cv::Size(), 0.5);
                addNoise(f, 2, rng);
            }
            if (!writeFrame(dir, i, f, &payload))
                return 1;
            ++written;
        }
    }
    std::cout << "wrote " << written << " frames to " << out.string() << "\n";
    return 0;
}
