// SPDX-License-Identifier: Apache-2.0
#include "qrframedecoder.h"

#include <opencv2/imgproc.hpp>

#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>

#include <ctime>

namespace hcp::hardware {

namespace {

// CPU time of the calling thread: the budget is "per frame on one core", so time the
// thread spent waiting for a core on a busy machine does not count against the frame.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

bool readQr(const cv::Mat &img, const ZXing::DecodeHints &hints, QByteArray *out)
{
    const ZXing::ImageView view(img.data, img.cols, img.rows, ZXing::ImageFormat::Lum, int(img.step[0]));
    const ZXing::Result r = ZXing::ReadBarcode(view, hints);
    if (!r.isValid())
        return false;
    const auto &b = r.bytes();
    *out = QByteArray(reinterpret_cast<const char *>(b.data()), qsizetype(b.size()));
    return true;
}

ZXing::DecodeHints plainHints()
{
    return ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode);
}

// Fallback passes run on already-enhanced images: no rotation retries (QR is rotation
// invariant in ZXing's detector) and no internal downscaling, which would undo an upscale.
ZXing::DecodeHints fallbackHints()
{
    return ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode).setTryRotate(false).setTryDownscale(false);
}

// Window of the frame with the most edge energy: where a small code most likely is.
cv::Rect busiestWindow(const cv::Mat &gray, int side)
{
    constexpr int f = 4;
    cv::Mat small, gx, gy, mag;
    cv::resize(gray, small, cv::Size(gray.cols / f, gray.rows / f), 0, 0, cv::INTER_AREA);
    cv::Sobel(small, gx, CV_16S, 1, 0);
    cv::Sobel(small, gy, CV_16S, 0, 1);
    cv::convertScaleAbs(gx, gx);
    cv::convertScaleAbs(gy, gy);
    // Codes have edges in both directions; text and bars mostly in one.
    cv::min(gx, gy, mag);
    const int k = std::max(3, side / f / 2 * 2 + 1);
    cv::boxFilter(mag, mag, CV_32F, cv::Size(k, k));
    cv::Point best;
    cv::minMaxLoc(mag, nullptr, nullptr, nullptr, &best);
    cv::Rect r(best.x * f - side / 2, best.y * f - side / 2, side, side);
    return r & cv::Rect(0, 0, gray.cols, gray.rows);
}

} // namespace

QrFrameDecoder::QrFrameDecoder(double budgetMs)
    : m_budgetMs(budgetMs)
{
}

const char *QrFrameDecoder::stageName(Stage s)
{
    switch (s) {
    case Stage::None: return "none";
    case Stage::Plain: return "plain";
    case Stage::Clahe: return "clahe";
    case Stage::Sharpen: return "sharpen";
    case Stage::Upscale: return "upscale";
    case Stage::Denoise: return "denoise";
    case Stage::Threshold: return "threshold";
    }
    return "?";
}

QrFrameDecoder::Result QrFrameDecoder::decodePlain(const cv::Mat &gray)
{
    const double t0 = threadCpuMs();
    Result r;
    r.attempts = 1;
    if (!gray.empty() && gray.type() == CV_8UC1 && readQr(gray, plainHints(), &r.bytes)) {
        r.found = true;
        r.stage = Stage::Plain;
    }
    r.ms = (threadCpuMs() - t0);
    return r;
}

QrFrameDecoder::Result QrFrameDecoder::decode(const cv::Mat &gray)
{
    const double t0 = threadCpuMs();
    Result r;
    if (gray.empty() || gray.type() != CV_8UC1)
        return r;
    ++r.attempts;
    if (readQr(gray, plainHints(), &r.bytes)) {
        r.found = true;
        r.stage = Stage::Plain;
        r.ms = threadCpuMs() - t0;
        return r;
    }
    const ZXing::DecodeHints fb = fallbackHints();
    // Ordered by codes recovered per millisecond on the generated corpus (hcp-bench-qr).
    for (int i = 0; i < kFallbacks; ++i) {
        const double elapsed = threadCpuMs() - t0;
        // Start a stage only if its typical cost still fits; a later, cheaper one may.
        if (elapsed + m_costMs[i] > m_budgetMs)
            continue;
        const Stage stage = Stage(int(Stage::Plain) + 1 + i);
        bool ran = true;
        switch (stage) {
        case Stage::Denoise:
            // Sensor noise: a σ 1 px Gaussian averages speckle away; at ≥ 3 px per module the
            // module edges survive (it beat 3×3/5×5 medians and 2× area downscaling on the corpus).
            cv::GaussianBlur(gray, m_work, cv::Size(0, 0), 1.0);
            break;
        case Stage::Clahe: {
            // Low contrast and glare: local histogram equalisation restores module contrast.
            static thread_local cv::Ptr<cv::CLAHE> clahe = cv::createCLAHE(4.0, cv::Size(8, 8));
            clahe->apply(gray, m_work);
            break;
        }
        case Stage::Threshold:
            // Uneven light / glare: adaptive mean threshold over a 31 px block.
            cv::adaptiveThreshold(gray, m_work, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY, 31, 5);
            break;
        case Stage::Sharpen:
            // Blur: unsharp mask (2.5·I − 1.5·G(I), σ 3 px) steepens module edges.
            cv::GaussianBlur(gray, m_work2, cv::Size(0, 0), 3.0);
            cv::addWeighted(gray, 2.5, m_work2, -1.5, 0, m_work);
            break;
        case Stage::Upscale: {
            // Small codes: upscale the busiest 200×200 window ×3 so modules exceed ~4 px.
            const cv::Rect roi = busiestWindow(gray, 200);
            ran = roi.width > 20 && roi.height > 20;
            if (ran)
                cv::resize(gray(roi), m_work, cv::Size(), 3, 3, cv::INTER_CUBIC);
            break;
        }
        default:
            ran = false;
            break;
        }
        if (!ran)
            continue;
        ++r.attempts;
        const bool found = readQr(m_work, fb, &r.bytes);
        // Exponential moving average of this stage's cost (pre-processing + ZXing), used to
        // decide whether it fits in the remaining budget of later frames.
        const double cost = threadCpuMs() - t0 - elapsed;
        m_costMs[i] = 0.8 * m_costMs[i] + 0.2 * cost;
        if (found) {
            r.found = true;
            r.stage = stage;
            break;
        }
    }
    r.ms = threadCpuMs() - t0;
    return r;
}

} // namespace hcp::hardware
