<?xml version="1.0" encoding="UTF-8"?>
<!--
  Where a mention is, said for the indexes: the document's short title, the entry or
  section it is in, and a few words of context on either side.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <!-- How many characters of context on each side, at most. -->
  <xsl:variable name="st:context-chars" as="xs:integer" select="60"/>

  <!-- A short title: the header's title[@type='short'], else the main title before its colon
       (when that says enough), else the main title, shortened at a word. -->
  <xsl:function name="st:short-title" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="short" select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt
        /tei:title[@type = 'short'][1]"/>
    <xsl:variable name="title" select="st:doc-title($tei)"/>
    <xsl:variable name="head" select="normalize-space(substring-before($title, ':'))"/>
    <xsl:sequence select="if ($short) then st:plain($short)
        else if (string-length($head) ge 12) then $head
        else st:shorten($title, 60)"/>
  </xsl:function>

  <!-- The entry or section a name is in, given its innermost division: that division's or
       the nearest enclosing one's heading and dateline, or ''. Cached, for a division holds
       many names; Saxon keeps the cache only when the caller is not itself a function
       (mentions.xsl calls it from the loop over the names). -->
  <xsl:function name="st:where" as="xs:string" cache="yes">
    <xsl:param name="div" as="element(tei:div)?"/>
    <xsl:sequence select="st:where-div(($div/ancestor-or-self::tei:div[@type = ('entry',
        'diary-day', 'letter')], $div/ancestor-or-self::tei:div[tei:head])[last()])"/>
  </xsl:function>

  <xsl:function name="st:where-div" as="xs:string">
    <xsl:param name="div" as="element(tei:div)?"/>
    <xsl:variable name="parts" select="($div/tei:head[1], $div/tei:dateline[1],
        $div/tei:opener[1]/tei:dateline[1]) ! st:plain(.)"/>
    <xsl:variable name="where" select="replace(string-join($parts[. != ''], ', '), '[.,;:\s]+$', '')"/>
    <!-- A heading that only repeats the document's title says nothing more. -->
    <xsl:variable name="tei" select="$div/ancestor::tei:TEI[1]"/>
    <xsl:sequence select="if ($tei and $where = (st:doc-title($tei), st:short-title($tei))) then ''
        else $where"/>
  </xsl:function>

  <!-- The block (paragraph, line, note...) whose words are a name's context. -->
  <xsl:function name="st:block" as="element()?">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="$e/ancestor::*[self::tei:p | self::tei:ab | self::tei:l
        | self::tei:head | self::tei:item | self::tei:cell | self::tei:note | self::tei:dateline
        | self::tei:quote | self::tei:stage | self::tei:speaker | self::tei:bibl][1]"/>
  </xsl:function>

  <!-- A block's text nodes as the reading text shows them: the corrected reading, not the
       source's (sic, orig), and without the notes inside it. Cached as st:where is. -->
  <xsl:function name="st:block-texts" as="text()*" cache="yes">
    <xsl:param name="block" as="element()?"/>
    <xsl:sequence select="if ($block/ancestor::*[self::tei:sic | self::tei:orig]) then ()
        else $block//text() except $block//(tei:sic | tei:orig | tei:note)//text()"/>
  </xsl:function>

  <!-- The text of $e's block before it (side 'before') or after it ('after'), from the block's
       texts (st:block-texts); at most $st:context-chars characters, cut at a word. -->
  <xsl:function name="st:context" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:param name="side" as="xs:string"/>
    <xsl:param name="texts" as="text()*"/>
    <xsl:variable name="own" select="$e//text()"/>
    <xsl:variable name="chosen" select="if ($side = 'before') then $texts[. &lt;&lt; $e]
        else $texts[. >> $e] except $own"/>
    <!-- Only the words nearest the name count: what is further off than the 60 characters
         shown is cut (the regular expressions below are slow on long strings). -->
    <xsl:variable name="text" select="st:near(normalize-space(string-join($chosen)), $side,
        $st:context-chars + 4)"/>
    <!-- Within the mention's sentence when it is long enough to say something. -->
    <xsl:variable name="sentence" select="if ($side = 'before')
        then replace($text, '^.*[.!?]\s+(\S.{9,})$', '$1')
        else replace($text, '^(.{9,}?[.!?])\s.*$', '$1')"/>
    <xsl:sequence select="if ($side = 'before') then st:shorten-start($sentence, $st:context-chars)
        else st:shorten($sentence, $st:context-chars)"/>
  </xsl:function>

  <!-- The last (side 'before') or first $max characters of $text: as much as st:context
       needs to find the sentence and cut it, when $max is well over $st:context-chars. -->
  <xsl:function name="st:near" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="side" as="xs:string"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:sequence select="if (string-length($text) le $max) then $text
        else if ($side = 'before') then substring($text, string-length($text) - $max + 1)
        else substring($text, 1, $max)"/>
  </xsl:function>

  <xsl:function name="st:shorten" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:sequence select="if (string-length($text) le $max) then $text
        else replace(substring($text, 1, $max), '\s+\S*$', '') || '…'"/>
  </xsl:function>

  <xsl:function name="st:shorten-start" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:sequence select="if (string-length($text) le $max) then $text
        else '…' || replace(substring($text, string-length($text) - $max + 1), '^\S*\s+', '')"/>
  </xsl:function>

</xsl:stylesheet>
