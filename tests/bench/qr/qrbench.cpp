// SPDX-License-Identifier: Apache-2.0
// hcp-bench-qr [--check] [--budget MS] DIR
// Runs the QR pipeline (QrFrameDecoder) and plain ZXing-cpp (ReadBarcode, QR only) over every
// X.png / X.jpg under DIR whose X.txt holds the expected payload (images without .txt are only
// timed, as "unlabelled"). Prints, per folder and overall, one name=value per line.
// --check: exit 1 if the pipeline decodes fewer than plain ZXing in any folder, not more
// overall, or decodes anything wrongly. Ratios only; timings are reported, never asserted.
#include "qrframedecoder.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using hcp::hardware::QrFrameDecoder;
namespace fs = std::filesystem;

namespace {

struct Stats {
    int images = 0;
    int pipelineOk = 0, pipelineWrong = 0, zxingOk = 0, zxingWrong = 0;
    int unlabelled = 0, unlabelledDecodes = 0;
    std::vector<double> pipelineMs, zxingMs, unlabelledMs;
    std::map<std::string, int> stages;

    void add(const Stats &o)
    {
        images += o.images;
        pipelineOk += o.pipelineOk;
        pipelineWrong += o.pipelineWrong;
        zxingOk += o.zxingOk;
        zxingWrong += o.zxingWrong;
        unlabelled += o.unlabelled;
        unlabelledDecodes += o.unlabelledDecodes;
        pipelineMs.insert(pipelineMs.end(), o.pipelineMs.begin(), o.pipelineMs.end());
        zxingMs.insert(zxingMs.end(), o.zxingMs.begin(), o.zxingMs.end());
        unlabelledMs.insert(unlabelledMs.end(), o.unlabelledMs.begin(), o.unlabelledMs.end());
        for (const auto &[k, v] : o.stages)
            stages[k] += v;
    }
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const size_t i = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
    return v[i];
}

void print(const std::string &folder, const Stats &s)
{
    std::cout << "folder=" << folder << "\n"
              << "images=" << s.images << "\n"
              << "pipeline_ok=" << s.pipelineOk << "\n"
              << "pipeline_wrong=" << s.pipelineWrong << "\n"
              << "zxing_ok=" << s.zxingOk << "\n"
              << "zxing_wrong=" << s.zxingWrong << "\n"
              << "pipeline_p50_ms=" << percentile(s.pipelineMs, 0.5) << "\n"
              << "pipeline_p95_ms=" << percentile(s.pipelineMs, 0.95) << "\n"
              << "zxing_p95_ms=" << percentile(s.zxingMs, 0.95) << "\n";
    if (s.unlabelled > 0)
        std::cout << "unlabelled=" << s.unlabelled << "\n"
                  << "unlabelled_decodes=" << s.unlabelledDecodes << "\n"
                  << "unlabelled_p95_ms=" << percentile(s.unlabelledMs, 0.95) << "\n";
    for (const auto &[k, v] : s.stages)
        std::cout << "stage_" << k << "=" << v << "\n";
}

// Median pipeline time on a synthetic 640×480 frame, with or without a code in it.
double syntheticFrameMs(bool withCode)
{
    cv::Mat f(480, 640, CV_8U, cv::Scalar(150));
    cv::RNG rng(7);
    cv::Mat noise(f.size(), CV_8U);
    rng.fill(noise, cv::RNG::UNIFORM, 0, 12);
    f += noise;
    if (withCode) {
        ZXing::MultiFormatWriter w(ZXing::BarcodeFormat::QRCode);
        w.setMargin(4);
        const ZXing::BitMatrix m = w.encode(std::string("https://example.gov.cn/pj?c=A123"), 0, 0);
        cv::Mat code(m.height(), m.width(), CV_8U);
        for (int y = 0; y < m.height(); ++y)
            for (int x = 0; x < m.width(); ++x)
                code.at<uchar>(y, x) = m.get(x, y) ? 20 : 235;
        cv::resize(code, code, cv::Size(), 5, 5, cv::INTER_NEAREST);
        code.copyTo(f(cv::Rect(200, 100, code.cols, code.rows)));
    }
    QrFrameDecoder dec;
    std::vector<double> t;
    for (int i = 0; i < 41; ++i) {
        const auto r = dec.decode(f);
        if (withCode && !r.found)
            return -1;  // reported as a negative time: the synthetic code did not decode
        t.push_back(r.ms);
    }
    return percentile(t, 0.5);
}

std::string readText(const fs::path &p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return s;
}

} // namespace

int main(int argc, char **argv)
{
    bool check = false;
    double budget = -1;
    std::string dir;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--check")
            check = true;
        else if (a == "--budget" && i + 1 < argc)
            budget = std::atof(argv[++i]);
        else
            dir = a;
    }
    if (dir.empty() || !fs::is_directory(dir)) {
        std::cerr << "usage: hcp-bench-qr [--check] [--budget MS] DIR\n";
        return 2;
    }
    std::vector<fs::path> files;
    for (const auto &e : fs::recursive_directory_iterator(dir)) {
        const auto ext = e.path().extension().string();
        if (e.is_regular_file() && (ext == ".png" || ext == ".jpg" || ext == ".jpeg"))
            files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::map<std::string, Stats> byFolder;
    QrFrameDecoder pipeline = budget > 0 ? QrFrameDecoder(budget) : QrFrameDecoder();
    for (const fs::path &f : files) {
        std::string folder = fs::relative(f.parent_path(), dir).generic_string();
        if (folder.empty())
            folder = ".";
        Stats &s = byFolder[folder];
        const cv::Mat gray = cv::imread(f.string(), cv::IMREAD_GRAYSCALE);
        if (gray.empty()) {
            std::cerr << "unreadable: " << f << "\n";
            continue;
        }
        fs::path txt = f;
        txt.replace_extension(".txt");
        const auto p = pipeline.decode(gray);
        if (!fs::exists(txt)) {
            ++s.unlabelled;
            s.unlabelledMs.push_back(p.ms);
            s.unlabelledDecodes += p.found ? 1 : 0;
            continue;
        }
        const QByteArray expected = QByteArray::fromStdString(readText(txt));
        const auto z = QrFrameDecoder::decodePlain(gray);
        ++s.images;
        s.pipelineMs.push_back(p.ms);
        s.zxingMs.push_back(z.ms);
        if (p.found) {
            (p.bytes == expected ? s.pipelineOk : s.pipelineWrong)++;
            s.stages[QrFrameDecoder::stageName(p.stage)]++;
            if (p.bytes != expected)
                std::cerr << "pipeline wrong decode: " << f << "\n";
        }
        if (z.found)
            (z.bytes == expected ? s.zxingOk : s.zxingWrong)++;
    }
    Stats all;
    bool pass = true;
    for (const auto &[folder, s] : byFolder) {
        print(folder, s);
        all.add(s);
        if (s.pipelineOk < s.zxingOk || s.pipelineWrong > 0) {
            std::cerr << "CHECK FAILED in folder " << folder << "\n";
            pass = false;
        }
    }
    print("ALL", all);
    std::cout << "frame640_empty_ms=" << syntheticFrameMs(false) << "\n"
              << "frame640_qr_ms=" << syntheticFrameMs(true) << "\n";
    if (all.images == 0 || all.pipelineOk <= all.zxingOk) {
        std::cerr << "CHECK FAILED overall: pipeline_ok must exceed zxing_ok\n";
        pass = false;
    }
    return (check && !pass) ? 1 : 0;
}
