// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>

#include <opencv2/core.hpp>

namespace hcp::hardware {

// QR decoding of one camera frame: plain ZXing-cpp first (so it never does worse than plain
// ZXing), then OpenCV pre-processing fallbacks for hard frames (low contrast, glare, blur,
// small or noisy codes), each tried only while the frame's time budget lasts.
// Pure and re-entrant per instance; not thread-safe (scratch buffers are reused), so each
// decoding thread owns one. Input: 8-bit single-channel (CV_8UC1) frame.
class QrFrameDecoder {
public:
    // Fallbacks run in this order (after Plain) while the budget lasts.
    enum class Stage { None, Plain, Denoise, Clahe, Sharpen, Threshold, Upscale };

    struct Result {
        bool found = false;
        QByteArray bytes;        // raw QR payload (ZXing Result::bytes())
        Stage stage = Stage::None;
        int attempts = 0;        // ZXing calls made
        double ms = 0;           // CPU time of the calling thread spent on this frame
    };

    // budgetMs: CPU time per frame. The plain pass always runs; a fallback stage starts only
    // when its running-average cost still fits in what is left. 8 ms keeps the 95th
    // percentile under 10 ms per 640×480 frame on one core (measured by hcp-bench-qr).
    explicit QrFrameDecoder(double budgetMs = 8.0);

    Result decode(const cv::Mat &gray);
    // Plain ZXing::ReadBarcode on the frame, QR only, default hints: the baseline.
    static Result decodePlain(const cv::Mat &gray);

    static const char *stageName(Stage s);
    double budgetMs() const { return m_budgetMs; }

private:
    static constexpr int kFallbacks = 5;
    double m_budgetMs;
    double m_costMs[kFallbacks] = {2.5, 2.5, 2.5, 2.5, 2.5};  // learned per stage
    cv::Mat m_work;
    cv::Mat m_work2;
};

} // namespace hcp::hardware
